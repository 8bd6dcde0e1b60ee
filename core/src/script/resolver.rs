//! `import` resolution: the embedded stdlib first, then `.rhai` files inside the recipe's own
//! directory. Absolute paths, `..` and anything that resolves outside that directory are refused.

use super::fault::fault;
use rhai::{Engine, EvalAltResult, Module, Position, Scope, Shared};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// The stdlib modules recipes may `import`, embedded at build time.
pub const STDLIB: &[(&str, &str)] = &[
    ("patterns", include_str!("../../../stdlib/patterns.rhai")),
    ("providers", include_str!("../../../stdlib/providers.rhai")),
];

#[derive(Debug)]
pub struct RecipeResolver {
    /// The recipe's directory, canonicalised; `None` for a recipe that is not a file.
    jail: Option<PathBuf>,
    /// The module files being evaluated, outermost first: a file that imports one of them closes
    /// a cycle, which would otherwise recurse until the stack overflows.
    importing: Mutex<Vec<PathBuf>>,
}

impl RecipeResolver {
    pub fn new(recipe_dir: Option<&Path>) -> Self {
        RecipeResolver {
            jail: recipe_dir.and_then(|d| d.canonicalize().ok()),
            importing: Mutex::new(Vec::new()),
        }
    }

    /// Marks `file` as being evaluated until the guard drops; refuses it if it already is.
    fn enter(&self, file: &Path, position: Position) -> Result<Importing<'_>, Box<EvalAltResult>> {
        let mut importing = self.importing.lock().map_err(|_| {
            fault(
                "GW1006",
                "module resolution failed",
                "run the recipe again",
                position,
            )
        })?;
        if let Some(first) = importing.iter().position(|f| f == file) {
            let name = |f: &PathBuf| {
                f.file_name()
                    .map_or_else(|| f.display().to_string(), |n| n.to_string_lossy().into())
            };
            let chain: Vec<String> = importing[first..]
                .iter()
                .chain(std::iter::once(&file.to_path_buf()))
                .map(name)
                .collect();
            return Err(fault(
                "GW1015",
                format!("import cycle: {}", chain.join(" imports ")),
                "modules form a tree: move what both files need into a third module that imports neither",
                position,
            ));
        }
        importing.push(file.to_path_buf());
        Ok(Importing { resolver: self })
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

/// Pops the innermost module file when its evaluation ends, however it ends.
struct Importing<'a> {
    resolver: &'a RecipeResolver,
}

impl Drop for Importing<'_> {
    fn drop(&mut self) {
        if let Ok(mut importing) = self.resolver.importing.lock() {
            importing.pop();
        }
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
        let mut _importing = None;
        let (name, text) = match STDLIB.iter().find(|(name, _)| *name == path) {
            Some((name, text)) => (format!("stdlib/{name}.rhai"), (*text).to_owned()),
            None => {
                let file = self.locate(path, position)?;
                _importing = Some(self.enter(&file, position)?);
                let text = super::source::read_bounded(&file).map_err(|why| {
                    fault(
                        "GW1006",
                        format!("cannot read module \"{}\": {why}", path.escape_debug()),
                        "modules are UTF-8 .rhai files beside the recipe, at most 1 MiB",
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
