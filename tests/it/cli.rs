//! The `tessera` binary's commands, run as a user would, against a database in a temporary data dir.

use std::io::Write;
use std::process::{Output, Stdio};

use serde_json::Value;

pub struct Cli {
    pub dir: tempfile::TempDir,
}

impl Cli {
    /// A fresh data dir with a database in it (only `serve` and `migrate` create one).
    pub fn new() -> Cli {
        let cli = Cli { dir: tempfile::tempdir().unwrap() };
        cli.ok(&["migrate", "--quiet"], None);
        cli
    }

    pub fn run(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut child = crate::helpers::tessera_command()
            .args(args)
            .env("TESSERA_DATA_DIR", self.dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut pipe = child.stdin.take().unwrap();
        if let Some(input) = stdin {
            pipe.write_all(input.as_bytes()).unwrap();
        }
        drop(pipe);
        child.wait_with_output().unwrap()
    }

    pub fn ok(&self, args: &[&str], stdin: Option<&str>) -> String {
        let out = self.run(args, stdin);
        assert!(out.status.success(), "{args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    pub fn fails(&self, args: &[&str], stdin: Option<&str>) -> String {
        let out = self.run(args, stdin);
        assert!(!out.status.success(), "{args:?} should fail");
        String::from_utf8(out.stderr).unwrap()
    }
}

#[test]
fn users_are_added_listed_changed_and_removed() {
    let cli = Cli::new();
    let added = cli.ok(
        &["user", "add", "alice", "--email", "alice@example.com", "--name", "Alice", "--password-stdin"],
        Some("scarlet ibis notebook\n"),
    );
    assert!(added.contains("added user alice"), "{added}");
    let db = cli.dir.path().join("tessera.db");
    assert!(db.exists(), "the database lives under the data dir");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&db).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the database holds private keys: owner only");
    let duplicate =
        cli.fails(&["user", "add", "alice", "--email", "a@example.com", "--password-stdin"], Some("another-pass\n"));
    assert!(duplicate.contains("already exists"), "{duplicate}");
    // Never a password from a non-terminal stdin without the flag, never a short one.
    let no_flag = cli.fails(&["user", "add", "bob", "--email", "bob@example.com"], None);
    assert!(no_flag.contains("--password-stdin"), "{no_flag}");
    let short = cli.fails(&["user", "add", "bob", "--email", "bob@example.com", "--password-stdin"], Some("short\n"));
    assert!(short.contains("at least 8"), "{short}");
    let list = cli.ok(&["user", "list"], None);
    assert!(list.contains("alice") && list.contains("alice@example.com") && !list.contains("ibis"), "{list}");
    cli.ok(&["user", "passwd", "alice", "--password-stdin"], Some("new-secret-pass\n"));
    cli.ok(&["user", "remove", "alice"], None);
    assert!(!cli.ok(&["user", "list"], None).contains("alice"));
    cli.fails(&["user", "remove", "alice"], None);
}

#[test]
fn clients_get_a_secret_shown_once() {
    let cli = Cli::new();
    let out = cli.ok(
        &[
            "client",
            "add",
            "--id",
            "web",
            "--name",
            "Web App",
            "--redirect-uri",
            "https://app.example/cb",
            "--redirect-uri",
            "http://127.0.0.1:3000/cb",
            "--json",
        ],
        None,
    );
    let json: Value = serde_json::from_str(&out).unwrap();
    let secret = json["client_secret"].as_str().unwrap();
    assert_eq!(secret.len(), 43, "256 bits, base64url");
    assert_eq!(json["redirect_uris"], serde_json::json!(["https://app.example/cb", "http://127.0.0.1:3000/cb"]));
    assert_eq!(json["pkce"], "required");
    let shown = cli.ok(&["client", "show", "web"], None);
    assert!(shown.contains("Web App") && shown.contains("https://app.example/cb"), "{shown}");
    assert!(!shown.contains(secret), "the secret is shown only once");
    assert!(!cli.ok(&["client", "list"], None).contains(secret));

    let public =
        cli.ok(&["client", "add", "--id", "spa", "--public", "--redirect-uri", "http://localhost:5173/cb"], None);
    assert!(public.contains("public") && !public.contains("client_secret"), "{public}");
    cli.ok(
        &[
            "client",
            "add",
            "--id",
            "legacy",
            "--pkce",
            "optional",
            "--skip-consent",
            "--redirect-uri",
            "https://l.example/cb",
        ],
        None,
    );

    let refused = cli.fails(
        &["client", "add", "--id", "bad", "--public", "--pkce", "optional", "--redirect-uri", "https://b.example/cb"],
        None,
    );
    assert!(refused.contains("PKCE"), "{refused}");
    for uri in ["https://b.example/cb#frag", "http://b.example/cb", "javascript:alert(1)"] {
        cli.fails(&["client", "add", "--id", "bad", "--redirect-uri", uri], None);
    }
    cli.fails(&["client", "add", "--id", "web", "--redirect-uri", "https://x.example/cb"], None);
    cli.ok(&["client", "remove", "web"], None);
    cli.fails(&["client", "show", "web"], None);
}

#[test]
fn keys_are_listed_and_rotation_waits_for_the_prepublication_window() {
    let cli = Cli::new();
    let list = cli.ok(&["keys", "list"], None);
    assert!(list.contains("current") && list.contains("next"), "{list}");
    let refused = cli.fails(&["keys", "rotate"], None);
    assert!(refused.contains("published"), "{refused}");
    let migrate = cli.ok(&["migrate"], None);
    assert!(migrate.contains("up to date"));
}

/// A misspelt key is an error in the file, and a warning naming it in the environment (where other software's
/// `TESSERA_*` variables may live too).
#[test]
fn unknown_settings_are_errors_in_the_file_and_warnings_in_the_environment() {
    let cli = Cli::new();
    let out = crate::helpers::tessera_command()
        .args(["keys", "list"])
        .env("TESSERA_DATA_DIR", cli.dir.path())
        .env("TESSERA_ACCES_TOKEN_TTL_SECS", "60")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("WARN") && stderr.contains("TESSERA_ACCES_TOKEN_TTL_SECS"), "{stderr}");
    let config = cli.dir.path().join("tessera.toml");
    std::fs::write(&config, "issuer = \"https://id.example.com\"\nbogus = 1\n").unwrap();
    let bad = cli.fails(&["--config", config.to_str().unwrap(), "keys", "list"], None);
    assert!(bad.contains("bogus"), "{bad}");
}

#[test]
fn client_registration_metadata_is_set_shown_and_updated() {
    let cli = Cli::new();
    let out = cli.ok(
        &[
            "client",
            "add",
            "--id",
            "svc",
            "--grant-types",
            "client_credentials",
            "--token-endpoint-auth-method",
            "client_secret_post",
            "--access-token-ttl-secs",
            "120",
            "--json",
        ],
        None,
    );
    let json: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["grant_types"], serde_json::json!(["client_credentials"]));
    assert_eq!(json["token_endpoint_auth_method"], serde_json::json!(["client_secret_post"]));
    assert_eq!(json["access_token_ttl_secs"], 120);
    assert_eq!(json["redirect_uris"], serde_json::json!([]));

    cli.ok(&["client", "add", "--id", "web", "--redirect-uri", "https://app.example/cb"], None);
    let updated = cli.ok(
        &[
            "client",
            "update",
            "web",
            "--name",
            "Web",
            "--post-logout-redirect-uri",
            "https://app.example/bye",
            "--backchannel-logout-uri",
            "https://app.example/bcl",
            "--refresh-token-ttl-secs",
            "3600",
        ],
        None,
    );
    assert!(updated.contains("post_logout_redirect_uri:   https://app.example/bye"), "{updated}");
    let shown = cli.ok(&["client", "show", "web"], None);
    for expected in [
        "name:                       Web",
        "backchannel_logout_uri:     https://app.example/bcl",
        "grant_types:                authorization_code refresh_token",
        "refresh_token_ttl:          3600 s",
        "redirect_uri:               https://app.example/cb",
    ] {
        assert!(shown.contains(expected), "{expected:?} in {shown}");
    }
    let cleared = cli.ok(&["client", "update", "web", "--clear-post-logout-redirect-uris"], None);
    assert!(!cleared.contains("post_logout_redirect_uri"), "{cleared}");

    // Combinations that cannot work are refused.
    for args in [
        &["client", "add", "--id", "x1", "--public", "--grant-types", "client_credentials"][..],
        &[
            "client",
            "add",
            "--id",
            "x2",
            "--token-endpoint-auth-method",
            "none",
            "--redirect-uri",
            "https://a.example/cb",
        ],
        &["client", "add", "--id", "x3"],
        &["client", "add", "--id", "x4", "--grant-types", "password", "--redirect-uri", "https://a.example/cb"],
        &[
            "client",
            "add",
            "--id",
            "x5",
            "--backchannel-logout-uri",
            "http://evil.example/bcl",
            "--redirect-uri",
            "https://a.example/cb",
        ],
        &["client", "update", "web", "--access-token-ttl-secs", "0"],
        &["client", "update", "nobody", "--name", "x"],
    ] {
        cli.fails(args, None);
    }
}

/// Kubernetes gives every pod of a namespace with a service named `tessera` variables such as `TESSERA_PORT`,
/// `TESSERA_SERVICE_HOST` and `TESSERA_PORT_8080_TCP_ADDR`: unknown `TESSERA_*` variables are ignored, named in one
/// warning line, and never stop a command. An unknown key in the TOML file is still an error.
#[test]
fn unknown_tessera_variables_are_ignored_with_one_warning_but_file_typos_fail() {
    let cli = Cli::new();
    let injected = [
        ("TESSERA_PORT", "tcp://10.0.0.1:8080"),
        ("TESSERA_SERVICE_HOST", "10.0.0.1"),
        ("TESSERA_PORT_8080_TCP_ADDR", "10.0.0.1"),
    ];
    let out = crate::helpers::tessera_command()
        .arg("migrate")
        .env("TESSERA_DATA_DIR", cli.dir.path())
        .envs(injected)
        .env("RUST_LOG", "info")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "migrate failed: {stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("up to date"));
    let warnings: Vec<&str> = stderr.lines().filter(|line| line.contains("TESSERA_")).collect();
    assert_eq!(warnings.len(), 1, "one warning line: {stderr}");
    assert!(warnings[0].contains("WARN"), "{stderr}");
    for (name, _) in injected {
        assert!(warnings[0].contains(name), "{name} is named: {stderr}");
    }
    assert!(!warnings[0].contains("TESSERA_DATA_DIR"), "a known variable is not: {stderr}");

    let config = cli.dir.path().join("tessera.toml");
    std::fs::write(&config, "isuer = \"https://typo.example\"\n").unwrap();
    let out = crate::helpers::tessera_command()
        .args(["--config", &config.to_string_lossy(), "migrate"])
        .env("TESSERA_DATA_DIR", cli.dir.path())
        .envs(injected)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success(), "a typo in the file must fail");
    assert!(String::from_utf8_lossy(&out.stderr).contains("isuer"), "{}", String::from_utf8_lossy(&out.stderr));
}
/// New passwords are at least 8 characters and not easy to guess (zxcvbn score 2 or more, and not a common
/// password); a refusal says why. The username and email count as easy guesses.
#[test]
fn weak_and_common_passwords_are_refused_with_the_reason() {
    let cli = Cli::new();
    let add = |password: &str| {
        cli.run(
            &["user", "add", "alice", "--email", "alice@example.com", "--password-stdin"],
            Some(&format!("{password}\n")),
        )
    };
    for (weak, reason) in [
        ("password123", "common"),
        ("aaaaaaaa", "Repeats like \"aaa\" are easy to guess"),
        ("alice@example.com", "easy to guess"),
    ] {
        let out = add(weak);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(!out.status.success(), "{weak:?} was accepted");
        assert!(stderr.contains("too easy to guess") && stderr.contains(reason), "{weak:?}: {stderr}");
    }
    assert!(!cli.ok(&["user", "list"], None).contains("alice"), "no user was added");
    let strong = add("vellum otter quarantine 47");
    assert!(strong.status.success(), "{}", String::from_utf8_lossy(&strong.stderr));
    let weak = cli.fails(&["user", "passwd", "alice", "--password-stdin"], Some("qwertyuiop\n"));
    assert!(weak.contains("too easy to guess"), "{weak}");
    cli.ok(&["user", "passwd", "alice", "--password-stdin"], Some("quartz lantern meadow drift\n"));
}
