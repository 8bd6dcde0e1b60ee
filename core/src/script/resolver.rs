//! `import` resolution: the embedded stdlib first, then `.rhai` files inside the recipe's own
//! directory. Absolute paths, `..` and anything that resolves outside that directory are refused.

use super::fault::fault;
use rhai::{Engine, EvalAltResult, Module, Position, Scope, Shared};
use std::path::{Component, Path, PathBuf};

/// The stdlib modules recipes may `import`, embedded at build time.
pub const STDLIB: &[(&str, &str)] = &[
    ("patterns", include_str!("../../../stdlib/patterns.rhai")),
    ("providers", include_str!("../../../stdlib/providers.rhai")),
];

#[derive(Debug)]
pub struct RecipeResolver {
    /// The recipe's directory, canonicalised; `None` for a recipe that is not a file.
    jail: Option<PathBuf>,
}

impl RecipeResolver {
    pub fn new(recipe_dir: Option<&Path>) -> Self {
        RecipeResolver {
            jail: recipe_dir.and_then(|d| d.canonicalize().ok()),
        }
    }

    fn locate(&self, path: &str, position: Position) -> Result<PathBuf, Box<EvalAltResult>> {
        let refuse = |why: &str| {
            fault(
                "GW1006",
                format!("cannot import \"{}\": {why}", path.escape_debug()),
                format!(
                    "import a stdlib module ({}) or a .rhai file beside the recipe, by a relative path without `..`",
                    STDLIB
                        .iter()
                        .map(|(n, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                position,
            )
        };
        let relative = Path::new(path);
        if relative.is_absolute() || relative.has_root() {
            return Err(refuse("absolute paths are not allowed"));
        }
        if relative
            .components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
        {
            return Err(refuse("`..` is not allowed"));
        }
        let jail = self
            .jail
            .as_ref()
            .ok_or_else(|| refuse("it is not a stdlib module"))?;
        let file = jail.join(relative).with_extension("rhai");
        let real = file
            .canonicalize()
            .map_err(|_| refuse("no stdlib module or file of that name"))?;
        // A symlink inside the directory may point anywhere; the real path decides.
        if !real.starts_with(jail) {
            return Err(refuse("it resolves outside the recipe's directory"));
        }
        Ok(real)
    }
}

impl rhai::ModuleResolver for RecipeResolver {
    fn resolve(
        &self,
        engine: &Engine,
        _source: Option<&str>,
        path: &str,
        position: Position,
    ) -> Result<Shared<Module>, Box<EvalAltResult>> {
        let (name, text) = match STDLIB.iter().find(|(name, _)| *name == path) {
            Some((name, text)) => (format!("stdlib/{name}.rhai"), (*text).to_owned()),
            None => {
                let file = self.locate(path, position)?;
                let text = std::fs::read_to_string(&file).map_err(|e| {
                    fault(
                        "GW1006",
                        format!("cannot read module \"{}\": {e}", path.escape_debug()),
                        "check the file exists and is readable",
                        position,
                    )
                })?;
                (file.display().to_string(), text)
            }
        };
        let mut ast = engine
            .compile(text)
            .map_err(|e| EvalAltResult::ErrorInModule(name.clone(), e.into(), position))?;
        ast.set_source(name);
        let module = Module::eval_ast_as_new(Scope::new(), &ast, engine)
            .map_err(|e| EvalAltResult::ErrorInModule(path.to_owned(), e, position))?;
        Ok(module.into())
    }
}
