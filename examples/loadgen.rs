//! The multi-step parts of the load benchmark (`benches/load.sh`), which wrk cannot do alone:
//!
//! - `logins`: the whole password login of a user, as a browser and its application do it, at a fixed concurrency;
//! - `seed-refresh-tokens`: refresh tokens from real authorization-code exchanges, for wrk's refresh chain;
//! - `startup`: time from spawning `tessera serve` to its first discovery 200, median of several starts;
//! - `argon2`: the password-check limit of one core at the server's argon2id cost;
//! - `openloop`: client_credentials at a constant rate (wrk2-style), with latency from each request's scheduled time.
//!
//! Each subcommand prints what it measured for people, then one `RESULT key=value …` line that `benches/load.sh`
//! reads. The script pins this program to a core of its own (`taskset`), away from the server's.
//!
//! ```text
//! BENCH_CLIENT_SECRET=… BENCH_PASSWORD=… cargo run --release --example loadgen -- logins \
//!     --base-url http://127.0.0.1:8080 --client-id bench --redirect-uri http://127.0.0.1:9/cb \
//!     --username alice01,alice02,alice03,alice04 --concurrency 4 --count 1000
//! ```
//!
//! Secrets come from the environment (`BENCH_CLIENT_SECRET`, `BENCH_PASSWORD`), not the command line, so they stay
//! out of `ps` and of the command lines the script prints. (Not `TESSERA_*`: the server reserves that prefix.)

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use clap::{Args, Parser, Subcommand};
use reqwest::StatusCode;
use url::Url;

/// RFC 7636 Appendix B: a PKCE verifier and its S256 challenge. Every login uses them: PKCE is checked all the same,
/// and the server cannot tell (codes are single-use and bound to their own request).
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

#[derive(Parser)]
#[command(about = "Load generator for Tessera's benchmark (benches/load.sh)")]
struct Cli {
    #[command(subcommand)]
    mode: Mode,
}

#[derive(Subcommand)]
enum Mode {
    /// Full password logins (authorize, login page, password form, code exchange), a fresh cookie jar each time.
    Logins(LoginsArgs),
    /// Refresh tokens from real code exchanges: one password login per --username, then single sign-on.
    SeedRefreshTokens(SeedArgs),
    /// Time from spawning the server (the command after `--`) to its first 200 on the discovery URL.
    Startup(StartupArgs),
    /// One argon2id verification at the server's cost (tessera::secrets), timed: the login limit of this core.
    Argon2(Argon2Args),
    /// RS256 access tokens signed per second on this core by Tessera's own signer (the part of the token endpoint
    /// that no overhead of ours is in).
    Sign(SignArgs),
    /// client_credentials at a constant rate; latency counts from when each request was due (no coordinated omission).
    Openloop(OpenloopArgs),
}

/// The server and the client registered for the benchmark.
#[derive(Args, Clone)]
struct Target {
    /// Tessera's issuer URL.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    base_url: Url,
    #[arg(long, default_value = "bench")]
    client_id: String,
    #[arg(long, env = "BENCH_CLIENT_SECRET", hide_env_values = true)]
    client_secret: String,
}

/// The client's redirect URI and the users who sign in.
#[derive(Args, Clone)]
struct Login {
    /// A redirect URI registered for the client; nothing needs to listen there (redirects are not followed).
    #[arg(long, default_value = "http://127.0.0.1:9/cb")]
    redirect_uri: String,
    /// Who signs in, comma-separated; login worker i is the i-th (round robin), all with the same password.
    ///
    /// Give `logins` one user per worker: Tessera counts every attempt as a failure until its password has been
    /// checked (brute-force throttling), so concurrent logins of one account from one address are refused after the
    /// fourth in flight, right password or not.
    #[arg(long, value_delimiter = ',', default_value = "alice")]
    username: Vec<String>,
    #[arg(long, env = "BENCH_PASSWORD", hide_env_values = true)]
    password: String,
    /// The scope asked for; `openid` makes every code exchange and refresh sign an ID token too.
    #[arg(long, default_value = "openid")]
    scope: String,
}

#[derive(Args)]
struct LoginsArgs {
    #[command(flatten)]
    target: Target,
    #[command(flatten)]
    login: Login,
    /// Logins in flight at once.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// How many logins (ignored with --minutes).
    #[arg(long, default_value_t = 1000)]
    count: u64,
    /// Log in for this long instead of --count logins (the soak).
    #[arg(long)]
    minutes: Option<f64>,
    /// The server's process id: its resident memory (VmRSS) is read before, after and every --rss-every-secs.
    #[arg(long)]
    pid: Option<u32>,
    #[arg(long, default_value_t = 30)]
    rss_every_secs: u64,
}

#[derive(Args)]
struct SeedArgs {
    #[command(flatten)]
    target: Target,
    #[command(flatten)]
    login: Login,
    #[arg(long, default_value_t = 128)]
    count: usize,
    /// Where to write the refresh tokens, one a line.
    #[arg(long)]
    output: std::path::PathBuf,
}

#[derive(Args)]
struct StartupArgs {
    /// Polled until it answers 200.
    #[arg(long, default_value = "http://127.0.0.1:8080/.well-known/openid-configuration")]
    url: Url,
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// A start that takes longer than this fails the measurement.
    #[arg(long, default_value_t = 60)]
    timeout_secs: u64,
    /// The server command, e.g. `-- taskset -c 0 target/release/tessera serve`. It must exec the server itself
    /// (taskset does), so that the process spawned is the one stopped with SIGTERM.
    #[arg(last = true, required = true)]
    command: Vec<String>,
}

#[derive(Args)]
struct Argon2Args {
    #[arg(long, default_value_t = 50)]
    iterations: usize,
}

#[derive(Args)]
struct SignArgs {
    /// Batches of 20 signatures; the median batch gives the rate.
    #[arg(long, default_value_t = 100)]
    batches: usize,
}

#[derive(Args)]
struct OpenloopArgs {
    #[command(flatten)]
    target: Target,
    #[arg(long, default_value = "bench:read")]
    scope: String,
    /// Requests per second.
    #[arg(long)]
    rate: f64,
    /// Measured seconds, after the warm-up.
    #[arg(long, default_value_t = 10.0)]
    duration_secs: f64,
    /// Seconds at the same rate before measuring (connections opened, caches warm); not recorded.
    #[arg(long, default_value_t = 1.0)]
    warmup_secs: f64,
    /// Requests in flight at most; a request due while this many wait is late, and its lateness is counted.
    #[arg(long, default_value_t = 256)]
    max_in_flight: usize,
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().mode {
        Mode::Logins(args) => runtime()?.block_on(logins(args)),
        Mode::SeedRefreshTokens(args) => runtime()?.block_on(seed_refresh_tokens(args)),
        Mode::Startup(args) => startup(args),
        Mode::Argon2(args) => argon2(args),
        Mode::Sign(args) => sign(args),
        Mode::Openloop(args) => openloop(args),
    }
}

/// One thread is enough: the load generator has a core to itself, and the server's core is the one measured.
fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread().enable_all().build()?)
}

// ---------------------------------------------------------------------------------------------------------------
// The login flow

/// A browser stand-in with its own cookie jar that never follows redirects (each step is checked by hand).
fn browser() -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build()?)
}

/// The application's side: the authorization URL, the code exchange at the token endpoint.
struct Flow {
    target: Target,
    login: Login,
    /// The application's HTTP client (no cookies), shared by every exchange.
    app: reqwest::Client,
}

impl Flow {
    fn new(target: Target, login: Login) -> anyhow::Result<Flow> {
        let app = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
        Ok(Flow { target, login, app })
    }

    fn url(&self, path: &str) -> anyhow::Result<Url> {
        Ok(self.target.base_url.join(path)?)
    }

    fn authorize_url(&self, state: &str) -> anyhow::Result<Url> {
        let mut url = self.url("/oauth/authorize")?;
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", &self.target.client_id)
            .append_pair("redirect_uri", &self.login.redirect_uri)
            .append_pair("scope", &self.login.scope)
            .append_pair("state", state)
            .append_pair("nonce", &format!("n-{state}"))
            .append_pair("code_challenge", CHALLENGE)
            .append_pair("code_challenge_method", "S256");
        Ok(url)
    }

    /// A whole login of `username` in a fresh browser, so the password is really checked: authorize, the login page,
    /// the password form, and the code exchange. Returns the token response.
    async fn password_login(&self, username: &str, state: &str) -> anyhow::Result<serde_json::Value> {
        let browser = browser()?;
        let response = browser.get(self.authorize_url(state)?).send().await.context("authorize")?;
        let page = location(&response, StatusCode::SEE_OTHER, "authorize")?;
        ensure!(page.starts_with("/interaction/"), "authorize sent the browser to {page}, not a login page");
        let redirect = self.submit_password(&browser, &page, username).await?;
        let code = self.code_from(&redirect, state)?;
        self.exchange(&code).await
    }

    /// Opens the login page at `page` and posts the password form with its csrf_token; returns where the server
    /// then sends the browser (the client's redirect URI, with the code).
    async fn submit_password(&self, browser: &reqwest::Client, page: &str, username: &str) -> anyhow::Result<String> {
        let page_url = self.url(page)?;
        let response = browser.get(page_url.clone()).send().await.context("login page")?;
        ensure!(response.status() == StatusCode::OK, "login page answered {}", response.status());
        let html = response.text().await?;
        let csrf = form_field(&html, "csrf_token").context("no csrf_token on the login page")?;
        let form = [("csrf_token", csrf.as_str()), ("username", username), ("password", &self.login.password)];
        let response = browser.post(format!("{page_url}/login")).form(&form).send().await.context("login form")?;
        if response.status() == StatusCode::OK {
            // The login page again, saying why (wrong password, throttled…).
            let html = response.text().await?;
            let reason = element_text(&html, "id=\"login-error\"").unwrap_or("no reason shown");
            bail!("login refused: {reason}");
        }
        location(&response, StatusCode::SEE_OTHER, "login form")
    }

    /// The code in the redirect to the client, after checking it goes to the client with our state.
    fn code_from(&self, redirect: &str, state: &str) -> anyhow::Result<String> {
        ensure!(redirect.starts_with(&self.login.redirect_uri), "sent to {redirect}, not to the client");
        let url = Url::parse(redirect)?;
        let param = |name: &str| url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
        if let Some(error) = param("error") {
            bail!("the client got error={error}");
        }
        ensure!(param("state").as_deref() == Some(state), "state mismatch in {redirect}");
        param("code").context("no code in the redirect to the client")
    }

    /// authorization_code grant with PKCE, client_secret_basic.
    async fn exchange(&self, code: &str) -> anyhow::Result<serde_json::Value> {
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", &self.login.redirect_uri),
            ("code_verifier", VERIFIER),
        ];
        let response = self
            .app
            .post(self.url("/oauth/token")?)
            .basic_auth(&self.target.client_id, Some(&self.target.client_secret))
            .form(&form)
            .send()
            .await
            .context("token endpoint")?;
        let status = response.status();
        let body = response.text().await?;
        ensure!(status == StatusCode::OK, "code exchange answered {status}: {body}");
        let tokens: serde_json::Value = serde_json::from_str(&body).context("token response is not JSON")?;
        ensure!(tokens["access_token"].is_string(), "no access_token in {body}");
        Ok(tokens)
    }
}

/// The Location of a redirect, after checking the status.
fn location(response: &reqwest::Response, expected: StatusCode, step: &str) -> anyhow::Result<String> {
    ensure!(response.status() == expected, "{step} answered {}, not {expected}", response.status());
    let value = response.headers().get(reqwest::header::LOCATION).with_context(|| format!("{step}: no Location"))?;
    Ok(value.to_str()?.to_owned())
}

/// The value of a hidden form field in an HTML page.
fn form_field(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_owned())
}

/// The text of the first element whose start tag contains `attribute` (no nested tags).
fn element_text<'a>(html: &'a str, attribute: &str) -> Option<&'a str> {
    let tag = html.find(attribute)?;
    let start = html[tag..].find('>')? + tag + 1;
    let end = html[start..].find('<')? + start;
    Some(html[start..end].trim())
}

// ---------------------------------------------------------------------------------------------------------------
// logins

/// What the login workers saw.
#[derive(Default)]
struct Tally {
    latencies: Vec<Duration>,
    /// Error message -> how many times.
    errors: BTreeMap<String, u64>,
}

impl Tally {
    fn merge(&mut self, other: Tally) {
        self.latencies.extend(other.latencies);
        for (error, n) in other.errors {
            *self.errors.entry(error).or_default() += n;
        }
    }

    fn error_count(&self) -> u64 {
        self.errors.values().sum()
    }
}

async fn logins(args: LoginsArgs) -> anyhow::Result<()> {
    let flow = Arc::new(Flow::new(args.target, args.login)?);
    let deadline = args.minutes.map(|m| Instant::now() + Duration::from_secs_f64(m * 60.0));
    let started = Instant::now();
    let rss_before = args.pid.and_then(rss_kib);
    // Logins handed out so far (each worker takes the next number) and logins finished, for the progress lines.
    let issued = Arc::new(AtomicU64::new(0));
    let finished = Arc::new(AtomicU64::new(0));

    let mut workers = tokio::task::JoinSet::new();
    for worker in 0..args.concurrency {
        let (flow, issued, finished) = (flow.clone(), issued.clone(), finished.clone());
        let username = flow.login.username[worker % flow.login.username.len()].clone();
        let count = args.count;
        workers.spawn(async move {
            let mut tally = Tally::default();
            loop {
                let n = issued.fetch_add(1, Ordering::Relaxed);
                let more = match deadline {
                    Some(deadline) => Instant::now() < deadline,
                    None => n < count,
                };
                if !more {
                    return tally;
                }
                let begun = Instant::now();
                match flow.password_login(&username, &format!("s{n}")).await {
                    Ok(_) => tally.latencies.push(begun.elapsed()),
                    Err(e) => *tally.errors.entry(format!("{e:#}")).or_default() += 1,
                }
                finished.fetch_add(1, Ordering::Relaxed);
            }
        });
    }

    // Wait for the workers; meanwhile, in a soak, sample the server's memory every rss_every_secs.
    let mut tally = Tally::default();
    let mut samples: Vec<(Duration, u64)> = Vec::new();
    let every = Duration::from_secs(args.rss_every_secs.max(1));
    let mut ticker = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    let mut last_finished = 0;
    while !workers.is_empty() {
        tokio::select! {
            joined = workers.join_next() => {
                if let Some(worker) = joined {
                    tally.merge(worker?);
                }
            }
            _ = ticker.tick(), if deadline.is_some() => {
                let done = finished.load(Ordering::Relaxed);
                let rate = (done - last_finished) as f64 / every.as_secs_f64();
                last_finished = done;
                let rss = args.pid.and_then(rss_kib);
                if let Some(rss) = rss {
                    samples.push((started.elapsed(), rss));
                }
                let t = started.elapsed().as_secs_f64();
                println!("  t={t:>5.0}s  logins={done:>7}  {rate:>7.1}/s  server RSS {}", mib(rss));
            }
        }
    }
    let elapsed = started.elapsed();
    let rss_after = args.pid.and_then(rss_kib);

    let ok = tally.latencies.len();
    tally.latencies.sort();
    let rate = ok as f64 / elapsed.as_secs_f64();
    println!(
        "logins: {ok} ok, {} errors in {:.1} s at concurrency {}: {rate:.1} logins/s, p50 {}, p99 {}",
        tally.error_count(),
        elapsed.as_secs_f64(),
        args.concurrency,
        ms(percentile(&tally.latencies, 50.0)),
        ms(percentile(&tally.latencies, 99.0)),
    );
    println!("server RSS before {}, after {}", mib(rss_before), mib(rss_after));
    print_errors(&tally.errors);
    let mut result = vec![
        ("ok", ok.to_string()),
        ("errors", tally.error_count().to_string()),
        ("rate", format!("{rate:.2}")),
        ("p50_ms", format!("{:.2}", as_ms(percentile(&tally.latencies, 50.0)))),
        ("p99_ms", format!("{:.2}", as_ms(percentile(&tally.latencies, 99.0)))),
        ("rss_before_kib", rss_before.unwrap_or(0).to_string()),
        ("rss_after_kib", rss_after.unwrap_or(0).to_string()),
    ];
    if let (Some((t0, first)), Some((t1, last))) = (samples.first(), samples.last()) {
        let growth = *last as i64 - *first as i64;
        println!(
            "soak: RSS {} at t={:.0}s -> {} at t={:.0}s: growth {:+.1} MiB",
            mib(Some(*first)),
            t0.as_secs_f64(),
            mib(Some(*last)),
            t1.as_secs_f64(),
            growth as f64 / 1024.0
        );
        result.push(("rss_first_sample_kib", first.to_string()));
        result.push(("rss_last_sample_kib", last.to_string()));
        result.push(("rss_growth_kib", growth.to_string()));
    }
    print_result("logins", &result);
    Ok(())
}

// ---------------------------------------------------------------------------------------------------------------
// seed-refresh-tokens

async fn seed_refresh_tokens(args: SeedArgs) -> anyhow::Result<()> {
    let flow = Flow::new(args.target, args.login)?;
    let started = Instant::now();
    // Each user signs in once with the password, in a browser of their own; the other codes come from authorization
    // requests in these browsers, which single sign-on answers at once, round robin. Every refresh token still
    // comes from a code exchange, and the tokens are spread over one browser session per user: a refresh touches
    // its session, and real traffic does not hammer a single session row.
    let mut browsers = Vec::new();
    for username in &flow.login.username {
        let state = format!("seed-{username}");
        let browser = browser()?;
        let response = browser.get(flow.authorize_url(&state)?).send().await.context("authorize")?;
        let page = location(&response, StatusCode::SEE_OTHER, "authorize")?;
        let redirect = flow.submit_password(&browser, &page, username).await?;
        let first = refresh_token_of(&flow.exchange(&flow.code_from(&redirect, &state)?).await?)?;
        browsers.push((browser, vec![first]));
    }
    for n in browsers.len()..args.count {
        let (browser, tokens) = &mut browsers[n % flow.login.username.len()];
        let state = format!("seed{n}");
        let response = browser.get(flow.authorize_url(&state)?).send().await.context("authorize")?;
        let redirect = location(&response, StatusCode::SEE_OTHER, "authorize with a session")?;
        tokens.push(refresh_token_of(&flow.exchange(&flow.code_from(&redirect, &state)?).await?)?);
    }
    let tokens: Vec<String> = browsers.into_iter().flat_map(|(_, tokens)| tokens).collect();
    std::fs::write(&args.output, tokens.join("\n") + "\n")
        .with_context(|| format!("writing {}", args.output.display()))?;
    println!(
        "{} refresh tokens from as many code exchanges, {} users signed in, in {:.1} s -> {}",
        tokens.len(),
        flow.login.username.len(),
        started.elapsed().as_secs_f64(),
        args.output.display()
    );
    print_result("seed", &[("tokens", tokens.len().to_string())]);
    Ok(())
}

fn refresh_token_of(tokens: &serde_json::Value) -> anyhow::Result<String> {
    let token = tokens["refresh_token"].as_str().context("the code exchange gave no refresh_token")?;
    Ok(token.to_owned())
}

// ---------------------------------------------------------------------------------------------------------------
// startup

fn startup(args: StartupArgs) -> anyhow::Result<()> {
    let host = args.url.host_str().context("--url has no host")?.to_owned();
    let addr = *args.url.socket_addrs(|| None)?.first().context("--url resolves to no address")?;
    let path = args.url.path().to_owned();
    ensure!(http_status(addr, &host, &path).is_none(), "something already answers at {}", args.url);

    let mut times = Vec::new();
    for run in 1..=args.runs {
        let spawned = Instant::now();
        let mut server = Command::new(&args.command[0])
            .args(&args.command[1..])
            .stdout(Stdio::null())
            .spawn()
            .with_context(|| format!("spawning {:?}", args.command))?;
        // Poll as fast as the server can refuse connections: the first 200 ends the measurement.
        let ready = loop {
            if http_status(addr, &host, &path) == Some(200) {
                break Ok(spawned.elapsed());
            }
            if let Some(status) = server.try_wait()? {
                break Err(anyhow::anyhow!("the server exited ({status}) before answering"));
            }
            if spawned.elapsed() > Duration::from_secs(args.timeout_secs) {
                break Err(anyhow::anyhow!("no 200 from {} within {} s", args.url, args.timeout_secs));
            }
        };
        stop(&mut server)?;
        let elapsed = ready?;
        println!("start {run}: first 200 after {}", ms(Some(elapsed)));
        times.push(elapsed);
    }
    times.sort();
    let median = percentile(&times, 50.0);
    println!(
        "startup: median {} over {} starts (min {}, max {})",
        ms(median),
        times.len(),
        ms(times.first().copied()),
        ms(times.last().copied())
    );
    print_result("startup", &[("median_ms", format!("{:.1}", as_ms(median)))]);
    Ok(())
}

/// The status code of `GET path`, or None when nothing answers (yet). A raw request: no client library between
/// the clock and the socket.
fn http_status(addr: SocketAddr, host: &str, path: &str) -> Option<u16> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(1)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).ok()?;
    // The status line is all we need: "HTTP/1.1 200 OK".
    let mut head = [0u8; 32];
    let mut read = 0;
    while read < 12 {
        let n = stream.read(&mut head[read..]).ok()?;
        if n == 0 {
            return None;
        }
        read += n;
    }
    std::str::from_utf8(&head[9..12]).ok()?.parse().ok()
}

/// SIGTERM (a graceful stop, as an operator's), then SIGKILL if the server takes more than 10 s.
fn stop(server: &mut Child) -> anyhow::Result<()> {
    Command::new("kill").args(["-TERM", &server.id().to_string()]).status()?;
    let asked = Instant::now();
    while server.try_wait()?.is_none() {
        if asked.elapsed() > Duration::from_secs(10) {
            server.kill()?;
            server.wait()?;
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------------------------
// argon2

fn sign(args: SignArgs) -> anyhow::Result<()> {
    const BATCH: u32 = 20;
    let alg = tessera::domain::SigningAlg::RS256;
    let record = tessera::keys::generate_key(alg, tessera::domain::KeyState::Current, 0)?;
    let key = tessera::keys::SigningKey::from_pkcs8(&record.kid, alg, &record.private_key)?;
    let claims = tessera::oauth::access_token::AccessTokenClaims {
        iss: "http://127.0.0.1:8080".into(),
        sub: "bench".into(),
        aud: "bench".into(),
        client_id: "bench".into(),
        scope: "bench:read".into(),
        exp: 1_900_000_300,
        iat: 1_900_000_000,
        jti: tessera::oauth::access_token::new_jti(None),
        auth_time: None,
        act: None,
        groups: None,
        cnf: None,
    };
    // CPU time, as openssl speed counts it: on a core shared with other work the wall clock would count theirs.
    let mut times = Vec::with_capacity(args.batches);
    for _ in 0..args.batches {
        let begun = thread_cpu_time()?;
        for _ in 0..BATCH {
            tessera::oauth::access_token::sign_access_token(&key, std::hint::black_box(&claims))?;
        }
        times.push((thread_cpu_time()? - begun) / BATCH);
    }
    times.sort();
    let median = percentile(&times, 50.0).context("no batches")?;
    let per_second = 1.0 / median.as_secs_f64();
    println!(
        "Tessera's RS256 signer: median {median:?} of CPU per access token -> {per_second:.1} tokens per CPU second"
    );
    print_result("sign", &[("per_second", format!("{per_second:.2}"))]);
    Ok(())
}

/// This thread's time on a CPU so far, to the nanosecond (`CLOCK_THREAD_CPUTIME_ID`). Not
/// /proc/thread-self/schedstat: the kernel brings that up to date only at a scheduler tick or a context switch (4 ms
/// apart on a 250 Hz kernel), so every batch of 20 signatures read as 4 ms, "200 µs a signature", whatever it took.
fn thread_cpu_time() -> anyhow::Result<Duration> {
    let mut now = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `now` is a valid timespec for clock_gettime to fill; no other memory is touched. std has no thread
    // CPU clock, and this one call does not warrant a crate.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    ensure!(rc == 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID): {}", std::io::Error::last_os_error());
    Ok(Duration::new(u64::try_from(now.tv_sec)?, u32::try_from(now.tv_nsec)?))
}

fn argon2(args: Argon2Args) -> anyhow::Result<()> {
    // The server's own functions: a change of cost there shows here.
    let password = "a benchmark passphrase of several unusual words";
    let phc = tessera::secrets::hash_password(password).map_err(|e| anyhow::anyhow!("hash: {e}"))?;
    let cost = phc.split('$').nth(3).unwrap_or("?").to_owned();
    ensure!(tessera::secrets::verify_password(password, &phc), "the hash does not verify");
    let mut times = Vec::with_capacity(args.iterations);
    for _ in 0..args.iterations {
        let begun = Instant::now();
        let ok = tessera::secrets::verify_password(std::hint::black_box(password), &phc);
        times.push(begun.elapsed());
        ensure!(ok, "the hash does not verify");
    }
    times.sort();
    let median = percentile(&times, 50.0).context("no iterations")?;
    let per_second = 1.0 / median.as_secs_f64();
    println!(
        "argon2id ({cost}): median {} per verification over {} -> {per_second:.1} verifications/s on this core",
        ms(Some(median)),
        times.len()
    );
    print_result(
        "argon2",
        &[
            ("cost", cost),
            ("median_ms", format!("{:.2}", as_ms(Some(median)))),
            ("per_second", format!("{per_second:.2}")),
        ],
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------------------------
// openloop

/// One request of the open-loop run.
struct Sample {
    /// When it was due, from the start of the run.
    due: Duration,
    /// From when it was due to the end of its response body.
    latency: Duration,
    ok: bool,
}

fn openloop(args: OpenloopArgs) -> anyhow::Result<()> {
    ensure!(args.rate > 0.0, "--rate must be positive");
    let runtime = runtime()?;
    let http = reqwest::Client::builder().build()?;
    let url = args.target.base_url.join("/oauth/token")?;
    let in_flight = Arc::new(tokio::sync::Semaphore::new(args.max_in_flight));
    let (results, mut received) = tokio::sync::mpsc::unbounded_channel::<Sample>();

    // A plain thread keeps the schedule (thread::sleep is precise to tens of microseconds, tokio's timer to a
    // millisecond) and starts each request on the runtime when it is due, whether earlier ones have finished or not.
    let period = Duration::from_secs_f64(1.0 / args.rate);
    let total = ((args.warmup_secs + args.duration_secs) * args.rate).round() as u32;
    let handle = runtime.handle().clone();
    let target = args.target.clone();
    let scope = args.scope.clone();
    let scheduler = std::thread::spawn(move || {
        let start = Instant::now();
        let mut worst_lag = Duration::ZERO;
        for i in 0..total {
            let due = start + period * i;
            match due.checked_duration_since(Instant::now()) {
                Some(wait) => std::thread::sleep(wait),
                None => worst_lag = worst_lag.max(due.elapsed()),
            }
            let (http, url, target, scope) = (http.clone(), url.clone(), target.clone(), scope.clone());
            let (in_flight, results) = (in_flight.clone(), results.clone());
            handle.spawn(async move {
                let _permit = in_flight.acquire_owned().await;
                let form = [("grant_type", "client_credentials"), ("scope", scope.as_str())];
                let response =
                    http.post(url).basic_auth(&target.client_id, Some(&target.client_secret)).form(&form).send().await;
                let ok = match response {
                    Ok(r) if r.status() == StatusCode::OK => {
                        r.text().await.is_ok_and(|b| b.contains("\"access_token\""))
                    }
                    _ => false,
                };
                let _ = results.send(Sample { due: due - start, latency: due.elapsed(), ok });
            });
        }
        worst_lag
    });

    // The channel closes when the scheduler and every request have dropped their senders.
    let warmup = Duration::from_secs_f64(args.warmup_secs);
    let (mut latencies, mut errors) = (Vec::new(), 0u64);
    runtime.block_on(async {
        while let Some(sample) = received.recv().await {
            if sample.due < warmup {
                continue;
            }
            if sample.ok {
                latencies.push(sample.latency);
            } else {
                errors += 1;
            }
        }
    });
    let worst_lag = scheduler.join().map_err(|_| anyhow::anyhow!("the scheduler thread panicked"))?;
    latencies.sort();
    let (p50, p99, p999) = (percentile(&latencies, 50.0), percentile(&latencies, 99.0), percentile(&latencies, 99.9));
    println!(
        "open loop at {:.0} req/s for {:.0} s (+{:.0} s warm-up): {} ok, {errors} errors; p50 {}, p99 {}, p99.9 {}, max {}",
        args.rate,
        args.duration_secs,
        args.warmup_secs,
        latencies.len(),
        ms(p50),
        ms(p99),
        ms(p999),
        ms(latencies.last().copied())
    );
    if worst_lag > Duration::from_millis(5) {
        println!(
            "warning: the scheduler fell {} behind: the load generator is too slow for this rate",
            ms(Some(worst_lag))
        );
    }
    print_result(
        "openloop",
        &[
            ("rate", format!("{:.2}", args.rate)),
            ("ok", latencies.len().to_string()),
            ("errors", errors.to_string()),
            ("p50_ms", format!("{:.2}", as_ms(p50))),
            ("p99_ms", format!("{:.2}", as_ms(p99))),
            ("p999_ms", format!("{:.2}", as_ms(p999))),
        ],
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------------------------
// Reporting

/// The nearest-rank percentile of sorted values.
fn percentile(sorted: &[Duration], p: f64) -> Option<Duration> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, sorted.len()) - 1])
}

fn as_ms(d: Option<Duration>) -> f64 {
    d.map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
}

fn ms(d: Option<Duration>) -> String {
    format!("{:.2} ms", as_ms(d))
}

/// The resident memory of a process, from /proc/PID/status (kB there means KiB).
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or("?".into(), |k| format!("{:.1} MiB", k as f64 / 1024.0))
}

fn print_errors(errors: &BTreeMap<String, u64>) {
    for (error, n) in errors {
        println!("  error x{n}: {error}");
    }
}

/// The line benches/load.sh reads: `RESULT <what> key=value …`.
fn print_result(what: &str, pairs: &[(&str, String)]) {
    let pairs: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
    println!("RESULT {what} {}", pairs.join(" "));
}
