//! What the mock records holds no credential: headers, query parameters and form fields that
//! carry one keep only its fingerprint, in `requests()` and on `/_mock/requests` alike.

mod loopback;

use loopback::{client, start};

use gwscript::probe::mock::{self, MockConfig, RecordedRequest, credential_fingerprint};

const API_KEY: &str = "sk-ant-api03-gwscript-redaction-test-1f2e";
const BEARER: &str = "sk-gwscript-bearer-test-77aa";
const GOOGLE_KEY: &str = "AIzaSyGwscriptRedactionTest0001";
const SESSION: &str = "session=gwscript-cookie-test-5d";
const AWS_TOKEN: &str = "IQoJb3JpZ2luX2VjEGwscriptSessionToken";
const PROXY_PASSWORD: &str = "dXNlcjpnd3NjcmlwdC1wcm94eQ==";
const QUERY_KEY: &str = "gwscript-query-key-3c4d";
const SIGNATURE: &str = "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";
const CLIENT_SECRET: &str = "gwscript-client-secret-9a8b";
const JWT_SIGNATURE: &str = "Z3dzY3JpcHQtand0LXNpZ25hdHVyZQ";

/// Every secret the test sends, for the sweep of what the mock gives back.
const SECRETS: [&str; 10] = [
    API_KEY,
    BEARER,
    GOOGLE_KEY,
    SESSION,
    AWS_TOKEN,
    PROXY_PASSWORD,
    QUERY_KEY,
    SIGNATURE,
    CLIENT_SECRET,
    JWT_SIGNATURE,
];

fn assert_no_secret(what: &str, text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{what} holds a secret: {text}");
    }
}

#[tokio::test]
async fn credentials_are_recorded_as_fingerprints_only() {
    let mock = start(MockConfig::default()).await;
    let base = mock.base_url();
    let sigv4 = format!(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature={SIGNATURE}"
    );
    client()
        .post(format!("{base}/v1/messages?beta=true&key={QUERY_KEY}"))
        .header("x-api-key", API_KEY)
        .header("authorization", format!("Bearer {BEARER}"))
        .header("x-goog-api-key", GOOGLE_KEY)
        .header("cookie", SESSION)
        .header("x-amz-security-token", AWS_TOKEN)
        .header("proxy-authorization", format!("Basic {PROXY_PASSWORD}"))
        .header("anthropic-version", "2023-06-01")
        .json(&serde_json::json!({ "model": "claude-sonnet-4-5", "max_tokens": 8, "messages": [] }))
        .send()
        .await
        .unwrap();
    client()
        .post(format!("{base}/model/x/invoke"))
        .header("authorization", &sigv4)
        .send()
        .await
        .unwrap();
    let assertion =
        format!("eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJzYUBnd3NjcmlwdC50ZXN0In0.{JWT_SIGNATURE}");
    client()
        .post(format!("{base}/token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion={assertion}&client_secret={CLIENT_SECRET}"
        ))
        .send()
        .await
        .unwrap();

    let listed = client()
        .get(format!("{base}{}", mock::REQUESTS_PATH))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_no_secret("/_mock/requests", &listed);
    let recorded = mock.requests();
    assert_no_secret("requests()", &format!("{recorded:?}"));
    let served: Vec<RecordedRequest> = serde_json::from_str(&listed).unwrap();
    assert_eq!(served, recorded);

    let [messages, bedrock, token] = recorded.as_slice() else {
        panic!("three records: {recorded:#?}");
    };
    let fp = credential_fingerprint;
    assert_eq!(messages.header("x-api-key"), Some(fp(API_KEY).as_str()));
    assert_eq!(
        messages.header("authorization"),
        Some(format!("Bearer {}", fp(BEARER)).as_str())
    );
    assert_eq!(
        messages.header("x-goog-api-key"),
        Some(fp(GOOGLE_KEY).as_str())
    );
    assert_eq!(messages.header("cookie"), Some(fp(SESSION).as_str()));
    assert_eq!(
        messages.header("x-amz-security-token"),
        Some(fp(AWS_TOKEN).as_str())
    );
    assert_eq!(
        messages.header("proxy-authorization"),
        Some(format!("Basic {}", fp(PROXY_PASSWORD)).as_str())
    );
    assert_eq!(messages.header("anthropic-version"), Some("2023-06-01"));
    assert_eq!(
        messages.query.as_deref(),
        Some(format!("beta=true&key={}", fp(QUERY_KEY)).as_str())
    );
    assert_eq!(messages.body["model"], "claude-sonnet-4-5");

    assert_eq!(
        bedrock.header("authorization"),
        Some(sigv4.replace(SIGNATURE, &fp(SIGNATURE)).as_str()),
        "the SigV4 scope stays readable"
    );

    let form = token.body.as_str().expect("the form body as text");
    assert_eq!(
        form,
        format!(
            "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion={}&client_secret={}",
            assertion.replace(JWT_SIGNATURE, &fp(JWT_SIGNATURE)),
            fp(CLIENT_SECRET)
        )
    );
    mock.shutdown().await.unwrap();
}
