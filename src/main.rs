fn main() -> std::process::ExitCode {
    lapa::cli::run()
}
