fn main() -> std::process::ExitCode {
    order_system::cli::main()
}
