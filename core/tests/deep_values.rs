//! Values nested as deep as a recipe's budget allows (closures capturing closures, built in a
//! loop) are dropped without exhausting the stack: the real binary ends with a diagnostic, never
//! a stack overflow that aborts it.

use gwscript_tests::Emit;

/// Recipes that each nest a value once per loop round, up to `ROUNDS` rounds or until the budget
/// stops them; none emits, so a run that survives ends with GW1003 (budget) or GW1012 (no setup).
const NESTING: &[&str] = &[
    // Each closure captures the previous one.
    "let f = || 0;\nfor i in 0..ROUNDS { let g = f; f = || g.call(); }",
    // The same inside a function: its locals are dropped when it returns, inside the engine.
    "fn build(n) { let f = || 0; for i in 0..n { let g = f; f = || g; } 0 }\nbuild(ROUNDS);",
    // Arrays holding closures that hold the previous array.
    "let a = [];\nfor i in 0..ROUNDS { let b = a; a = [|| b]; }",
    // Until the operation budget stops it.
    "let f = 0;\nloop { let g = f; f = || g; }",
];

#[test]
fn deeply_nested_closures_end_in_a_diagnostic_not_a_stack_overflow() {
    for rounds in ["20000", "100000"] {
        for recipe in NESTING {
            let recipe = recipe.replace("ROUNDS", rounds);
            let ran = Emit::new(&recipe).attempt();
            // A signal (SIGABRT on overflow, SIGSEGV) leaves no exit code.
            assert_eq!(
                ran.status.code(),
                Some(1),
                "{recipe}\n{}\n{}",
                ran.status,
                ran.stderr
            );
            assert!(
                ran.stderr.starts_with("error[GW1003]") || ran.stderr.starts_with("error[GW1012]"),
                "{recipe}\n{}",
                ran.stderr
            );
            assert!(!ran.stderr.contains("overflow"), "{}", ran.stderr);
        }
    }
}
