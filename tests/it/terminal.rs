//! The real binary: in a pseudo-terminal (the wizard), and with no terminal at all.

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use predicates::prelude::*;

#[test]
fn without_a_terminal_init_asks_nothing_and_lists_every_missing_value() {
    let dir = tempfile::tempdir().unwrap();
    for extra in [vec![], vec!["--no-prompt"]] {
        Command::cargo_bin("ams-private-link")
            .unwrap()
            .current_dir(dir.path())
            .env("CI", "true")
            .arg("init")
            .args(&extra)
            // A hang would be a failure, not a slow pass.
            .timeout(Duration::from_secs(20))
            .assert()
            .code(4)
            .stderr(predicate::str::contains("init asks no questions here"))
            .stderr(predicate::str::contains(
                "mediaServices.name: required value missing: a string, matching ^[a-z0-9]{3,24}$",
            ))
            .stderr(predicate::str::contains(
                "--set mediaServices.name=contosomedia",
            ))
            .stderr(predicate::str::contains(
                "storage.name: required value missing",
            ))
            .stderr(predicate::str::contains(
                "network.vnets: required value missing: a list of at least 1 item(s)",
            ));
        assert!(!dir.path().join("out").exists());
    }
}

#[test]
fn without_a_terminal_a_complete_values_file_is_rendered() {
    let dir = tempfile::tempdir().unwrap();
    let values = crate::common::example("fully-private.yaml");
    Command::cargo_bin("ams-private-link")
        .unwrap()
        .current_dir(dir.path())
        .args(["init", "--no-prompt", "--values"])
        .arg(&values)
        .timeout(Duration::from_secs(20))
        .assert()
        .success();
    assert!(dir.path().join("out/bicep/main.bicep").exists());
}

#[cfg(unix)]
mod pty {
    use super::*;
    use rexpect::process::WaitStatus;
    use rexpect::session::spawn_command;

    fn init_in(dir: &Path) -> rexpect::session::PtySession {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("ams-private-link"));
        cmd.arg("init")
            .current_dir(dir)
            .env_remove("CI")
            .env("TERM", "xterm")
            .env("NO_COLOR", "1");
        spawn_command(cmd, Some(20_000)).unwrap()
    }

    fn answer(p: &mut rexpect::session::PtySession, prompt: &str, line: &str) {
        p.exp_string(prompt)
            .unwrap_or_else(|e| panic!("waiting for {prompt:?}: {e}"));
        p.send_line(line).unwrap();
    }

    #[test]
    fn the_wizard_runs_in_a_real_terminal_and_writes_the_files() {
        let dir = tempfile::tempdir().unwrap();
        let mut p = init_in(dir.path());
        // First, plainly: Media Services is retired; the foundation is the default.
        answer(&mut p, "Media Services was retired on 30 June 2024", "");
        p.exp_string("Azure region").unwrap();
        // The editing keys that work are named; inquire types Ctrl+U/W/A as letters.
        p.exp_string("not Ctrl+U/W/A").unwrap();
        p.send_line("westeurope").unwrap();
        answer(&mut p, "Tags", "env=test, owner=platform");
        answer(&mut p, "Media Services account name", "Bad-Name");
        // Rejected at the prompt: the line stays; clear it and type a valid name.
        p.exp_string("3-24 lowercase letters and digits only")
            .unwrap();
        p.send(&"\x7f".repeat("Bad-Name".len())).unwrap(); // backspace over it
        p.send_line("contosomedia").unwrap();
        // The foundation alone: none of Media Services' own questions.
        for prompt in [
            "Storage account name",
            "Storage replication",
            // Multi-select prompts say which keys toggle an item.
            "Space toggles, Right all, Left none",
            "Where do the private endpoints go?",
            "VNet name",
            "Address space",
            "Subnet for the private endpoints",
            "Subnet range",
            "Add another VNet?",
            "Do on-premises networks",
            "Azure DNS Private Resolver",
            "Azure Resource Manager private link",
            "Private DNS",
            "control the private endpoints' addresses",
            "Output folder",
            "Templates to write",
        ] {
            answer(&mut p, prompt, "");
        }
        p.exp_string("Resources to create").unwrap();
        answer(&mut p, "What next?", "");
        p.exp_string("create").unwrap();
        p.exp_eof().unwrap();
        assert!(matches!(
            p.process().wait().unwrap(),
            WaitStatus::Exited(_, 0)
        ));
        let out = dir.path().join("out");
        assert!(out.join("arm/azuredeploy.json").exists());
        let answers = std::fs::read_to_string(out.join(".ams-private-link-answers.yaml")).unwrap();
        assert!(
            answers.contains("name: contosomedia")
                && answers.contains("env: test")
                && answers.contains("owner: platform"),
            "{answers}"
        );
    }

    #[test]
    fn escape_goes_back_and_ctrl_c_quits_with_130_writing_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut p = init_in(dir.path());
        answer(&mut p, "Media Services was retired on 30 June 2024", "");
        p.exp_string("Azure region").unwrap();
        // The editing keys that work are named; inquire types Ctrl+U/W/A as letters.
        p.exp_string("not Ctrl+U/W/A").unwrap();
        p.send_line("swedencentral").unwrap();
        p.exp_string("Tags").unwrap();
        p.exp_string("Esc back, Ctrl+C quit").unwrap();
        p.send("\x1b").unwrap();
        p.flush().unwrap();
        // Back at the region, the earlier answer offered again.
        p.exp_string("Azure region").unwrap();
        p.exp_string("swedencentral").unwrap();
        p.send("\x03").unwrap();
        p.flush().unwrap();
        p.exp_eof().unwrap();
        assert!(matches!(
            p.process().wait().unwrap(),
            WaitStatus::Exited(_, 130)
        ));
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "nothing written"
        );
    }

    /// Everything the terminal shows for a command run in a pseudo-terminal, to the end, and
    /// its exit code.
    fn shown(args: &[&str], no_color: Option<&str>) -> (String, i32) {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("ams-private-link"));
        cmd.args(args).env_remove("CI").env("TERM", "xterm");
        match no_color {
            Some(v) => cmd.env("NO_COLOR", v),
            None => cmd.env_remove("NO_COLOR"),
        };
        let mut p = spawn_command(cmd, Some(20_000)).unwrap();
        let text = p.exp_eof().unwrap();
        match p.process().wait().unwrap() {
            WaitStatus::Exited(_, code) => (text, code),
            other => panic!("{args:?}: {other:?}"),
        }
    }

    /// Colour on a terminal, for the report on stdout and the problems on stderr alike; none
    /// with NO_COLOR set to anything but the empty string (no-color.org).
    #[test]
    fn a_terminal_gets_colour_unless_no_color_is_set() {
        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("bad.yaml");
        std::fs::write(&bad, "mediaServices:\n  name: Contoso\n").unwrap();
        let bad = bad.to_str().unwrap();
        let example = crate::common::example("public-allowlists.yaml");
        let example = example.to_str().unwrap();
        const ESC: &str = "\x1b[";
        // explain succeeds (its colour is stdout's); validate refuses the file (stderr's).
        for (args, exit) in [
            (vec!["explain", "--values", example], 0),
            (vec!["validate", "--values", bad], 3),
        ] {
            for (no_color, coloured) in [(None, true), (Some(""), true), (Some("1"), false)] {
                let (text, code) = shown(&args, no_color);
                assert_eq!(code, exit, "{args:?}:\n{text}");
                assert_eq!(
                    text.contains(ESC),
                    coloured,
                    "{args:?} with NO_COLOR={no_color:?}:\n{text}"
                );
            }
        }
    }
}
