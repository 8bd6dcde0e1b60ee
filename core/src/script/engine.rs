//! The one place a recipe engine is built. Everything a recipe can do is decided here.

use super::heap;
use rhai::packages::{
    ArithmeticPackage, BasicArrayPackage, BasicFnPackage, BasicIteratorPackage, BasicMapPackage,
    BasicMathPackage, BasicStringPackage, LogicPackage, MoreStringPackage, Package,
};
use rhai::{Dynamic, Engine};
use std::time::{Duration, Instant};

/// Limits are set explicitly because rhai's defaults differ between debug and release builds.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_operations: u64,
    pub wall_time: Duration,
    pub max_call_levels: usize,
    pub max_expr_depth: usize,
    pub max_function_expr_depth: usize,
    pub max_string_bytes: usize,
    pub max_array_items: usize,
    pub max_map_entries: usize,
    pub max_modules: usize,
    pub max_variables: usize,
    pub max_functions: usize,
    /// Growth of the recipe thread's heap while the recipe runs: the backstop for data limits
    /// (counted only when the binary installs [`super::CountingAllocator`]).
    pub max_heap_growth_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            // A large organisation's recipe needs a few thousand operations; this leaves 100x.
            max_operations: 500_000,
            wall_time: Duration::from_secs(1),
            max_call_levels: 32,
            max_expr_depth: 64,
            max_function_expr_depth: 32,
            max_string_bytes: 64 * 1024,
            max_array_items: 4_096,
            max_map_entries: 1_024,
            max_modules: 16,
            max_variables: 1_024,
            max_functions: 256,
            max_heap_growth_bytes: 64 * 1024 * 1024,
        }
    }
}

/// Why the engine stopped a recipe from outside, so it can be told apart from a script `throw`.
#[derive(Debug, Clone)]
pub enum BudgetExceeded {
    WallClock(Duration),
    Heap(usize),
}

/// Builds the hardened engine: no packages beyond pure data manipulation, no `eval`, no `sleep`,
/// no file, process or network access, explicit limits, and a wall-clock budget that starts now.
pub fn hardened(limits: Limits) -> Engine {
    // A raw engine has no packages and no module resolver: nothing is reachable until added here.
    let mut engine = Engine::new_raw();
    // LanguageCorePackage is left out on purpose: it carries `sleep`, which blocks past every limit.
    for package in [
        ArithmeticPackage::new().as_shared_module(),
        BasicStringPackage::new().as_shared_module(),
        BasicIteratorPackage::new().as_shared_module(),
        BasicFnPackage::new().as_shared_module(),
        LogicPackage::new().as_shared_module(),
        BasicMathPackage::new().as_shared_module(),
        BasicArrayPackage::new().as_shared_module(),
        BasicMapPackage::new().as_shared_module(),
        MoreStringPackage::new().as_shared_module(),
    ] {
        engine.register_global_module(package);
    }
    engine.disable_symbol("eval");
    engine
        .set_max_operations(limits.max_operations)
        .set_max_call_levels(limits.max_call_levels)
        .set_max_expr_depths(limits.max_expr_depth, limits.max_function_expr_depth)
        .set_max_string_size(limits.max_string_bytes)
        .set_max_array_size(limits.max_array_items)
        .set_max_map_size(limits.max_map_entries)
        .set_max_modules(limits.max_modules)
        .set_max_variables(limits.max_variables)
        .set_max_functions(limits.max_functions);
    let started = Instant::now();
    // The recipe runs on this thread: only what this thread allocates counts against it.
    let heap_ceiling = heap::thread_bytes().saturating_add(signed(limits.max_heap_growth_bytes));
    engine.on_progress(move |operations| {
        if heap::thread_bytes() > heap_ceiling {
            return Some(Dynamic::from(BudgetExceeded::Heap(
                limits.max_heap_growth_bytes,
            )));
        }
        // Reading the clock every operation would dominate small recipes; every 256th is enough.
        (operations % 256 == 0 && started.elapsed() > limits.wall_time)
            .then(|| Dynamic::from(BudgetExceeded::WallClock(limits.wall_time)))
    });
    // Recipes report through diagnostics, not stdout: keep `print`/`debug` from writing anywhere.
    engine.on_print(|_| {});
    engine.on_debug(|_, _, _| {});
    engine
}

fn signed(bytes: usize) -> isize {
    isize::try_from(bytes).unwrap_or(isize::MAX)
}
