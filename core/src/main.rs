use std::process::ExitCode;

/// Counts the recipe thread's allocations, so a recipe is stopped at its heap budget.
#[global_allocator]
static ALLOCATOR: gwscript::script::CountingAllocator = gwscript::script::CountingAllocator;

fn main() -> ExitCode {
    let code = gwscript::cli::main();
    gwscript::script::keep_freed_memory_until_exit();
    code
}
