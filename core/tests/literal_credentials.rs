//! Literal credentials in a recipe, through the real binary: refused before anything is written,
//! and never printed, whichever finding shows their line.

use gwscript_tests::Emit;

const VALUE: &str = "team-7f3a9c-DO-NOT-PRINT";

/// Runs `recipe` (with `VALUE` in it), which must be refused with `code` without printing
/// `VALUE` or writing anything.
fn refused_without_echo(recipe: &str, code: &str) {
    let ran = Emit::new(&recipe.replace("VALUE", VALUE)).attempt();
    assert_eq!(ran.status.code(), Some(1), "{}", ran.stderr);
    assert!(
        ran.stderr.contains(&format!("error[{code}]")),
        "{}",
        ran.stderr
    );
    assert!(
        !ran.stderr.contains("7f3a9c") && !ran.stdout.contains("7f3a9c"),
        "{}",
        ran.stderr
    );
    assert!(!ran.out_dir().exists(), "nothing is written after an error");
}

#[test]
fn gw1026_a_client_secret_among_a_deployments_provider_options() {
    refused_without_echo(
        r#"let gw = gateway("litellm", #{ url: "http://127.0.0.1:4000", master_key: secret("K") });
gw.deploy("azure-sonnet", provider("raw", #{ model: "azure/claude", client_id: "app", client_secret: "VALUE" }));
emit(pattern("gateway", #{ gateway: gw, auth_token: secret("K") }));"#,
        "GW1026",
    );
}

#[test]
fn gw5001_a_bearer_token_inside_anthropic_custom_headers() {
    refused_without_echo(
        r#"emit(pattern("direct", #{ provider: provider("anthropic", #{ api_key: secret("ANTHROPIC_API_KEY") }),
    env: #{ ANTHROPIC_CUSTOM_HEADERS: "Authorization: Bearer VALUE" } }));"#,
        "GW5001",
    );
}

/// The finding is about something else on the line (a syntax error, an unknown kind): the line
/// is masked all the same, since it holds a literal under a credential's name.
#[test]
fn any_finding_on_a_line_holding_a_literal_credential_masks_it() {
    for (recipe, code) in [
        (
            r#"let p = provider("azure", #{ client_secret: "VALUE" });"#,
            "GW1009",
        ),
        (r#"let p = #{ "password": "VALUE" } +;"#, "GW1001"),
        (
            r#"let h = #{ ANTHROPIC_CUSTOM_HEADERS: "x-api-key: VALUE" }; let x = nope;"#,
            "GW1002",
        ),
    ] {
        refused_without_echo(recipe, code);
    }
}
