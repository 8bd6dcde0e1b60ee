use std::process::ExitCode;

fn main() -> ExitCode {
    gwscript::cli::main()
}
