//! RS256 signatures per second: Tessera's signer (aws-lc-rs key pair parsed once, kept in the key store) against
//! jsonwebtoken's `encode` on the same aws-lc backend (which re-parses the private key on every signature).
//!
//! `cargo bench --bench signing` prints a throughput in elements/s for each: one element is one signed token.
//! Both run in this one process, so their ratio is meaningful even on a busy machine.

use base64::Engine;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use tessera::domain::{KeyState, SigningAlg};
use tessera::keys::{SigningKey, generate_key};
use tessera::oauth::access_token::{AccessTokenClaims, sign_access_token};

fn claims() -> AccessTokenClaims {
    AccessTokenClaims {
        iss: "https://id.example.com".into(),
        sub: "5f0c1c0e-6a4f-4a8e-9d7e-3b2f0a1c2d3e".into(),
        aud: "https://api.example.com".into(),
        client_id: "benchmark-app".into(),
        scope: "openid profile email".into(),
        exp: 1_900_000_300,
        iat: 1_900_000_000,
        jti: "b1f4d8a2-0c3e-4f5a-9b6c-7d8e9f0a1b2c".into(),
        auth_time: Some(1_899_999_000),
        act: None,
        groups: None,
        cnf: None,
    }
}

fn signing(c: &mut Criterion) {
    let record = generate_key(SigningAlg::RS256, KeyState::Current, 0).expect("key generation");
    let signer = SigningKey::from_record(&record).expect("key pair");
    // jsonwebtoken's from_rsa_der wants PKCS#1; its PEM reader takes the stored PKCS#8 as it is.
    let body = base64::engine::general_purpose::STANDARD.encode(&record.private_key);
    let pem = format!("-----BEGIN PRIVATE KEY-----\n{body}\n-----END PRIVATE KEY-----\n");
    let encoding_key = EncodingKey::from_rsa_pem(pem.as_bytes()).expect("PKCS#8 PEM");
    let mut header = Header::new(Algorithm::RS256);
    header.typ = Some("at+jwt".into());
    header.kid = Some(record.kid.clone());
    let claims = claims();

    let mut group = c.benchmark_group("rs256_sign");
    group.throughput(Throughput::Elements(1));
    group.sample_size(30);
    group.bench_function("tessera_cached_aws_lc_key_pair", |b| {
        b.iter(|| sign_access_token(&signer, std::hint::black_box(&claims)).expect("sign"))
    });
    group.bench_function("jsonwebtoken_encode_aws_lc", |b| {
        b.iter(|| jsonwebtoken::encode(&header, std::hint::black_box(&claims), &encoding_key).expect("encode"))
    });
    group.finish();

    // The other algorithms of `signing_algs`, with the same cached-key signer: what an access token costs in each.
    let mut group = c.benchmark_group("sign_by_algorithm");
    group.throughput(Throughput::Elements(1));
    group.sample_size(30);
    for alg in SigningAlg::ALL {
        let record = generate_key(alg, KeyState::Current, 0).expect("key generation");
        let signer = SigningKey::from_record(&record).expect("key pair");
        group.bench_function(alg.as_str(), |b| {
            b.iter(|| sign_access_token(&signer, std::hint::black_box(&claims)).expect("sign"))
        });
    }
    group.finish();
}

criterion_group!(benches, signing);
criterion_main!(benches);
