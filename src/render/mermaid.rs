//! The topology as a Mermaid flowchart, for DEPLOY.md (GitHub and VS Code draw it; an Azure
//! DevOps wiki draws it between `::: mermaid` and `:::`). Node IDs are generated, so no name from the values reaches Mermaid's syntax; labels
//! are quoted with `"` written as an entity.

use std::fmt::Write as _;

use super::topology::{Reach, Topology};

/// A label: quoted text, lines joined with `<br/>`, nothing that closes the quote or opens
/// markup.
fn label(lines: &[String]) -> String {
    let escaped: Vec<String> = lines
        .iter()
        .map(|l| {
            l.replace('&', "#amp;")
                .replace('"', "#quot;")
                .replace('<', "#lt;")
                .replace('>', "#gt;")
        })
        .collect();
    format!("\"{}\"", escaped.join("<br/>"))
}

pub fn flowchart(t: &Topology) -> String {
    // `graph` rather than `flowchart`: the older Mermaid of some hosts knows only `graph`.
    let mut out = String::from("graph LR\n");
    let _ = writeln!(out, "  internet((\"Internet\"))");
    for (i, door) in t.doors.iter().enumerate() {
        let _ = writeln!(out, "  door{i}[{}]", label(&door.lines));
    }
    for (i, s) in t.services.iter().enumerate() {
        let _ = writeln!(out, "  service{i}[[{}]]", label(&s.lines));
    }
    for (i, v) in t.vnets.iter().enumerate() {
        let _ = writeln!(out, "  subgraph vnet{i}[{}]", label(&v.lines));
        for (j, e) in v.endpoints.iter().enumerate() {
            let _ = writeln!(
                out,
                "    endpoint{i}_{j}[{}]",
                label(std::slice::from_ref(&e.name))
            );
        }
        let _ = writeln!(out, "  end");
    }
    for (i, z) in t.zones.iter().enumerate() {
        let _ = writeln!(out, "  zone{i}[({})]", label(&z.lines));
    }
    // Open doors with an arrow, closed ones with a cross.
    for (i, door) in t.doors.iter().enumerate() {
        let edge = match door.reach {
            Reach::Closed => "--x",
            Reach::Allowlist | Reach::Everyone => "-->",
        };
        let _ = writeln!(out, "  internet {edge} door{i}");
        let _ = writeln!(out, "  door{i} --- service{}", door.service);
    }
    for (i, v) in t.vnets.iter().enumerate() {
        for (j, e) in v.endpoints.iter().enumerate() {
            let _ = writeln!(out, "  endpoint{i}_{j} --> service{}", e.service);
            if let Some(z) = e.zone {
                let _ = writeln!(out, "  endpoint{i}_{j} -.->|registers| zone{z}");
            }
        }
    }
    for (z, zone) in t.zones.iter().enumerate() {
        for v in &zone.vnets {
            let _ = writeln!(out, "  zone{z} -.-|resolves| vnet{v}");
        }
    }
    // Colours that survive light and dark themes: red open to all, amber allowlisted, green
    // closed.
    let _ = writeln!(out, "  classDef everyone stroke:#c62828,stroke-width:2px");
    let _ = writeln!(out, "  classDef allowlist stroke:#ef6c00,stroke-width:2px");
    let _ = writeln!(out, "  classDef closed stroke:#2e7d32");
    for (i, door) in t.doors.iter().enumerate() {
        let class = match door.reach {
            Reach::Closed => "closed",
            Reach::Allowlist => "allowlist",
            Reach::Everyone => "everyone",
        };
        let _ = writeln!(out, "  class door{i} {class}");
    }
    out
}
