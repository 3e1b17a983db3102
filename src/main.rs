use std::process::ExitCode;

fn main() -> ExitCode {
    ams_private_link::run::main()
}
