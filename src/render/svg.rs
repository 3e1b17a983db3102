//! The topology as an SVG file beside DEPLOY.md, laid out by the tool itself so the user
//! needs no browser, Graphviz or Mermaid CLI. Five columns, left to right: the internet, the
//! public doors, the services, the VNets with their endpoints, the DNS zones. Every label sits
//! inside a box sized for it (a monospace font, counted per character), boxes of one column
//! are stacked with gaps, and every edge joins two neighbouring columns, so it crosses only
//! the gap between them: no label overlaps another, and no edge runs through a box. Integer
//! coordinates, fixed order: the same deployment gives the same bytes.

use std::fmt::Write as _;

use super::topology::{Reach, Topology};

const FONT: u32 = 12;
/// Upper bound of a monospace advance at 12 px (DejaVu/Liberation Mono: 7.2), in halves.
const HALF_CHAR: u32 = 15;
const LINE: u32 = 16;
const PAD: u32 = 8;
const GAP_Y: u32 = 12;
const GAP_X: u32 = 64;
const MARGIN: u32 = 16;
const LEGEND: &str =
    "doors: red = every internet address, amber = allowlist, green = closed; dashed = registers in / resolves through";

#[derive(Debug, Clone, Copy)]
struct Rect {
    x: u32,
    y: u32,
    w: u32,
    h: u32,
}

impl Rect {
    fn left(self) -> (u32, u32) {
        (self.x, self.y + self.h / 2)
    }
    fn right(self) -> (u32, u32) {
        (self.x + self.w, self.y + self.h / 2)
    }
}

fn text_width(lines: &[String]) -> u32 {
    let chars = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0) as u32;
    (chars * HALF_CHAR).div_ceil(2) + 2 * PAD
}

fn text_height(lines: usize) -> u32 {
    lines as u32 * LINE + 2 * PAD - (LINE - FONT)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

struct Canvas {
    body: String,
}

impl Canvas {
    fn rect(&mut self, r: Rect, stroke: &str, fill: &str, dashed: bool) {
        let dash = if dashed {
            " stroke-dasharray=\"6 4\""
        } else {
            ""
        };
        let _ = writeln!(
            self.body,
            "  <rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"4\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.5\"{dash}/>",
            r.x, r.y, r.w, r.h
        );
    }

    fn text(&mut self, x: u32, y: u32, lines: &[String], bold_first: bool) {
        for (i, line) in lines.iter().enumerate() {
            let weight = if bold_first && i == 0 {
                " font-weight=\"bold\""
            } else {
                ""
            };
            let _ = writeln!(
                self.body,
                "  <text x=\"{x}\" y=\"{}\"{weight}>{}</text>",
                y + FONT + i as u32 * LINE,
                escape(line)
            );
        }
    }

    fn edge(&mut self, from: (u32, u32), to: (u32, u32), stroke: &str, dashed: bool) {
        let dash = if dashed {
            " stroke-dasharray=\"5 4\""
        } else {
            ""
        };
        let mid = from.0 + (to.0.saturating_sub(from.0)) / 2;
        let _ = writeln!(
            self.body,
            "  <path d=\"M{} {} C{mid} {} {mid} {} {} {}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"1.5\"{dash}/>",
            from.0, from.1, from.1, to.1, to.0, to.1
        );
    }

    /// A cross just before `at`: the door is closed to what the edge comes from.
    fn cross(&mut self, at: (u32, u32), stroke: &str) {
        let (x, y) = (at.0 - 10, at.1);
        let _ = writeln!(
            self.body,
            "  <path d=\"M{} {} L{} {} M{} {} L{} {}\" stroke=\"{stroke}\" stroke-width=\"2\"/>",
            x - 5,
            y - 5,
            x + 5,
            y + 5,
            x - 5,
            y + 5,
            x + 5,
            y - 5
        );
    }
}

fn colour(reach: Reach) -> &'static str {
    match reach {
        Reach::Everyone => "#c62828",
        Reach::Allowlist => "#ef6c00",
        Reach::Closed => "#2e7d32",
    }
}

/// Boxes of one column stacked from `top`; returns them and the column's height.
fn stack(x: u32, top: u32, sizes: &[(u32, u32)]) -> Vec<Rect> {
    let mut y = top;
    sizes
        .iter()
        .map(|&(w, h)| {
            let r = Rect { x, y, w, h };
            y += h + GAP_Y;
            r
        })
        .collect()
}

fn column_height(sizes: &[(u32, u32)]) -> u32 {
    let gaps = sizes.len().saturating_sub(1) as u32 * GAP_Y;
    sizes.iter().map(|s| s.1).sum::<u32>() + gaps
}

pub fn render(t: &Topology) -> String {
    let internet = vec!["Internet".to_owned()];
    let door_sizes: Vec<(u32, u32)> = t
        .doors
        .iter()
        .map(|d| (text_width(&d.lines), text_height(d.lines.len())))
        .collect();
    let service_sizes: Vec<(u32, u32)> = t
        .services
        .iter()
        .map(|s| (text_width(&s.lines), text_height(s.lines.len())))
        .collect();
    // A VNet: its lines, then its endpoints as boxes inside it.
    let endpoint_h = text_height(1);
    let vnet_sizes: Vec<(u32, u32)> = t
        .vnets
        .iter()
        .map(|v| {
            let inner = v
                .endpoints
                .iter()
                .map(|e| text_width(std::slice::from_ref(&e.name)) + 2 * PAD)
                .max()
                .unwrap_or(0);
            let n = v.endpoints.len() as u32;
            let h = text_height(v.lines.len()) + n * (endpoint_h + GAP_Y);
            (text_width(&v.lines).max(inner), h)
        })
        .collect();
    let zone_sizes: Vec<(u32, u32)> = t
        .zones
        .iter()
        .map(|z| (text_width(&z.lines), text_height(z.lines.len())))
        .collect();
    let columns = [
        vec![(text_width(&internet), text_height(1))],
        door_sizes,
        service_sizes,
        vnet_sizes,
        zone_sizes,
    ];
    let tallest = columns.iter().map(|c| column_height(c)).max().unwrap_or(0);
    let mut x = MARGIN;
    let mut placed: Vec<Vec<Rect>> = Vec::new();
    for sizes in &columns {
        // Each column centred on the tallest, so short columns sit level with the middle.
        let top = MARGIN + (tallest - column_height(sizes)) / 2;
        let width = sizes.iter().map(|s| s.0).max().unwrap_or(0);
        // Boxes of a column share its width, so every edge leaves from one line.
        let rects: Vec<Rect> = stack(x, top, sizes)
            .into_iter()
            .map(|r| Rect { w: width, ..r })
            .collect();
        placed.push(rects);
        if width > 0 {
            x += width + GAP_X;
        }
    }
    let legend_y = MARGIN + tallest + 2 * GAP_Y;
    let width = (x - GAP_X + MARGIN).max(text_width(&[LEGEND.to_owned()]) + 2 * MARGIN);
    let height = legend_y + LINE + MARGIN;
    let [internet_col, doors, services, vnets, zones] = &placed[..] else {
        return String::new();
    };
    let endpoint_rect = |v: usize, e: usize| {
        let r = vnets[v];
        Rect {
            x: r.x + PAD,
            y: r.y + text_height(t.vnets[v].lines.len()) + e as u32 * (endpoint_h + GAP_Y),
            w: r.w - 2 * PAD,
            h: endpoint_h,
        }
    };

    let mut c = Canvas {
        body: String::new(),
    };
    // Edges first, so boxes sit on top of their ends.
    for (i, door) in t.doors.iter().enumerate() {
        let stroke = colour(door.reach);
        c.edge(
            internet_col[0].right(),
            doors[i].left(),
            stroke,
            door.reach == Reach::Closed,
        );
        if door.reach == Reach::Closed {
            c.cross(doors[i].left(), stroke);
        }
        c.edge(
            doors[i].right(),
            services[door.service].left(),
            "#546e7a",
            false,
        );
    }
    for (v, vnet) in t.vnets.iter().enumerate() {
        for (e, endpoint) in vnet.endpoints.iter().enumerate() {
            let r = endpoint_rect(v, e);
            c.edge(
                services[endpoint.service].right(),
                r.left(),
                "#1565c0",
                false,
            );
            if let Some(z) = endpoint.zone {
                c.edge(r.right(), zones[z].left(), "#6a1b9a", true);
            }
        }
    }
    for (z, zone) in t.zones.iter().enumerate() {
        for v in &zone.vnets {
            let r = vnets[*v];
            let header = (r.x + r.w, r.y + text_height(1) / 2);
            c.edge(header, zones[z].left(), "#9e9e9e", true);
        }
    }
    c.rect(internet_col[0], "#37474f", "#eceff1", false);
    c.text(
        internet_col[0].x + PAD,
        internet_col[0].y + PAD,
        &internet,
        true,
    );
    for (i, door) in t.doors.iter().enumerate() {
        c.rect(doors[i], colour(door.reach), "#ffffff", false);
        c.text(doors[i].x + PAD, doors[i].y + PAD, &door.lines, true);
    }
    for (i, s) in t.services.iter().enumerate() {
        c.rect(services[i], "#546e7a", "#f5f5f5", false);
        c.text(services[i].x + PAD, services[i].y + PAD, &s.lines, true);
    }
    for (v, vnet) in t.vnets.iter().enumerate() {
        c.rect(vnets[v], "#1565c0", "#e3f2fd", false);
        c.text(vnets[v].x + PAD, vnets[v].y + PAD, &vnet.lines, true);
        for (e, endpoint) in vnet.endpoints.iter().enumerate() {
            let r = endpoint_rect(v, e);
            c.rect(r, "#1565c0", "#ffffff", false);
            c.text(
                r.x + PAD,
                r.y + PAD,
                std::slice::from_ref(&endpoint.name),
                false,
            );
        }
    }
    for (z, zone) in t.zones.iter().enumerate() {
        c.rect(zones[z], "#6a1b9a", "#f3e5f5", true);
        c.text(zones[z].x + PAD, zones[z].y + PAD, &zone.lines, true);
    }
    c.text(MARGIN, legend_y - FONT, &[LEGEND.to_owned()], false);
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\" font-size=\"{FONT}\">\n  <rect width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>\n{}</svg>\n",
        c.body
    )
}
