//! `explain`: the exposure table (each door, who reaches it from the internet and from which
//! VNets, and why) and the resolution table (per VNet, each private name and its answer), for
//! the terminal. Colour only when asked for (a terminal, and no NO_COLOR).

use std::fmt::Write as _;

use super::summary::resolution_views;
use crate::model::exposure::Internet;
use crate::model::{self, Deployment};

const RED: &str = "\x1b[31m";
const YELLOW: &str = "\x1b[33m";
const GREEN: &str = "\x1b[32m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// Rows of cells, each column as wide as its widest cell; `paint` colours a cell without
/// changing its width.
fn table(
    out: &mut String,
    indent: usize,
    rows: &[Vec<String>],
    paint: impl Fn(usize, usize, &str) -> String,
) {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for (r, row) in rows.iter().enumerate() {
        let mut line = " ".repeat(indent);
        for (c, cell) in row.iter().enumerate() {
            let last = c + 1 == row.len();
            let pad = if last {
                0
            } else {
                widths[c] - cell.chars().count() + 2
            };
            let _ = write!(line, "{}{}", paint(r, c, cell), " ".repeat(pad));
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

fn internet_words(internet: &Internet) -> String {
    match internet {
        Internet::Closed => "closed".into(),
        Internet::Everyone => "every address".into(),
        Internet::Allowlist { ranges } => ranges.join(", "),
    }
}

/// The exposure table: each door, who reaches it from the internet and privately, and why.
fn exposure(out: &mut String, d: &Deployment, on: &dyn Fn(&str, &str) -> String) {
    let _ = writeln!(
        out,
        "{}\n",
        on(BOLD, "Exposure: who can reach each door of this deployment")
    );
    let doors = model::doors(d);
    let mut rows = vec![vec![
        "door".to_owned(),
        "from the internet".to_owned(),
        "privately from (endpoint)".to_owned(),
        "why".to_owned(),
    ]];
    for door in &doors {
        rows.push(vec![
            door.name.clone(),
            internet_words(&door.internet),
            if door.private_from.is_empty() {
                "none".to_owned()
            } else {
                door.private_from.join(", ")
            },
            door.why.clone(),
        ]);
    }
    table(out, 2, &rows, |r, c, cell| match (r, c) {
        (0, _) => on(BOLD, cell),
        (r, 1) => match &doors[r - 1].internet {
            Internet::Closed => on(GREEN, cell),
            Internet::Everyone => on(RED, cell),
            Internet::Allowlist { .. } => on(YELLOW, cell),
        },
        _ => cell.to_owned(),
    });
}

pub fn explain(d: &Deployment, colour: bool) -> String {
    let on = |code: &str, text: &str| {
        if colour {
            format!("{code}{text}{RESET}")
        } else {
            text.to_owned()
        }
    };
    let mut out = String::new();
    if !d.media.deploy {
        let _ = writeln!(
            out,
            "The private foundation alone (mediaServices.deploy: false): Media Services, its doors and\nits endpoints are not deployed, so they are left out below.\n"
        );
    }
    exposure(&mut out, d, &on);
    let _ = writeln!(
        out,
        "\n{}",
        on(
            BOLD,
            "Name resolution: what each client (each VNet, and on-premises) resolves each private name to"
        )
    );
    for v in resolution_views(d) {
        let _ = writeln!(out, "\n  {}", on(BOLD, &v.client));
        let mut rows = vec![vec![
            "target".to_owned(),
            "zone that answers".to_owned(),
            "through".to_owned(),
            "resolves to".to_owned(),
        ]];
        for n in &v.names {
            rows.push(vec![
                n.target.replace('`', ""),
                n.zone.clone(),
                n.through.clone(),
                n.answer.clone(),
            ]);
        }
        table(&mut out, 4, &rows, |r, _, cell| {
            if r == 0 {
                on(BOLD, cell)
            } else {
                cell.to_owned()
            }
        });
    }
    if d.resolution.clients.is_empty() {
        let _ = writeln!(out, "\n  (no client resolves a private name)");
    }
    out
}
