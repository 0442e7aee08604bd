/// mimalloc for everything Rust allocates: see `order_system::memory` for why.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Tunes mimalloc before anything allocates: its first allocation sets up the arena, with the
/// options of that moment. (Runs from .init_array, like a C constructor, before main.)
#[used]
#[unsafe(link_section = ".init_array")]
static TUNE_ALLOCATOR: extern "C" fn() = {
    extern "C" fn tune() {
        order_system::memory::tune_allocator();
    }
    tune
};

fn main() -> std::process::ExitCode {
    order_system::cli::main()
}
