//! The deployment's settings, read from vars and secrets (see `worker/README.md`).

use std::cell::RefCell;
use std::rc::Rc;

use worker::Env;

use crate::jwt::{parse_jwks, JwtConfig, PublicKey};
use crate::keyring::KeyRing;

/// Which LLM parses commands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LlmProvider {
    /// None: the deterministic parser serves alone.
    None,
    /// An OpenAI-compatible chat-completions endpoint at this base URL (ending before
    /// `/chat/completions`).
    OpenAi { base_url: String },
    /// The Workers AI binding `AI`.
    WorkersAi,
}

/// The LLM settings.
#[derive(Debug, Clone)]
pub struct LlmConfig {
    pub provider: LlmProvider,
    pub model: String,
    pub api_key: Option<String>,
    pub timeout_ms: u64,
}

/// Everything a request needs from the environment.
pub struct Config {
    pub jwt: JwtConfig,
    /// `UPLOAD_SECRET` (and `UPLOAD_SECRET_PREVIOUS` during a rotation): signs upload and read URLs.
    pub upload_keys: Option<KeyRing>,
    pub dev_login: bool,
    pub cors_origins: Vec<String>,
    pub llm: LlmConfig,
    pub rate_limit: u32,
    pub rate_window_ms: i64,
    pub max_upload_bytes: u64,
    pub upload_url_ttl_s: i64,
    pub session_ttl_ms: i64,
    pub public_url: Option<String>,
    /// The salt of the user hashes in logs: `LOG_SALT`, else derived from the upload or JWT secret.
    pub log_salt: Vec<u8>,
    /// `METRICS_LOG = "true"`: metrics are also written to the log (lines of kind `metric`).
    pub metrics_log: bool,
    /// R2's S3 API and credentials, for SigV4 presigned direct uploads (with the bucket name).
    pub s3: Option<(crate::s3::S3Target, String)>,
}

/// A var or secret as a non-empty string.
pub fn get(env: &Env, name: &str) -> Option<String> {
    env.var(name)
        .map(|v| v.to_string())
        .or_else(|_| env.secret(name).map(|v| v.to_string()))
        .ok()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

/// The secret `name` and, during a rotation, `{name}_PREVIOUS`.
fn key_ring(env: &Env, name: &str) -> Option<KeyRing> {
    let current = get(env, name)?;
    let previous = get(env, &format!("{name}_PREVIOUS"));
    Some(KeyRing::new(
        current.into_bytes(),
        previous.map(String::into_bytes),
    ))
}

fn number<T: std::str::FromStr>(env: &Env, name: &str, default: T) -> T {
    get(env, name)
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

thread_local! {
    /// Parsed JWKS, keyed by its text (parsing RSA keys on every request would be waste).
    static JWKS: RefCell<Option<(String, Rc<Vec<PublicKey>>)>> = const { RefCell::new(None) };
}

fn jwks(text: &str) -> Rc<Vec<PublicKey>> {
    JWKS.with(|cell| {
        if let Some((t, keys)) = &*cell.borrow() {
            if t == text {
                return keys.clone();
            }
        }
        let keys = Rc::new(parse_jwks(text).unwrap_or_else(|e| {
            worker::console_error!("JWKS ignored: {e}");
            Vec::new()
        }));
        *cell.borrow_mut() = Some((text.to_owned(), keys.clone()));
        keys
    })
}

/// The log salt: `LOG_SALT`, or one derived from a secret the deployment has anyway, so an email
/// is never hashed with a guessable salt.
fn log_salt(env: &Env) -> Vec<u8> {
    use hmac::Mac;
    if let Some(salt) = get(env, "LOG_SALT") {
        return salt.into_bytes();
    }
    let base = get(env, "UPLOAD_SECRET")
        .or_else(|| get(env, "JWT_SECRET"))
        .unwrap_or_default();
    let mut mac = crate::keyring::hmac_sha256(base.as_bytes());
    mac.update(b"retouch-log-salt");
    mac.finalize().into_bytes().to_vec()
}

impl Config {
    pub fn from_env(env: &Env) -> Self {
        let keys = get(env, "JWKS")
            .map(|t| jwks(&t).as_ref().clone())
            .unwrap_or_default();
        let provider = match get(env, "LLM_PROVIDER").as_deref() {
            Some("none") => LlmProvider::None,
            Some("workers-ai") => LlmProvider::WorkersAi,
            _ => match get(env, "LLM_BASE_URL") {
                Some(base) => LlmProvider::OpenAi {
                    base_url: base.trim_end_matches('/').to_owned(),
                },
                None => LlmProvider::None,
            },
        };
        let default_model = if provider == LlmProvider::WorkersAi {
            crate::llm::DEFAULT_WORKERS_AI_MODEL
        } else {
            crate::llm::DEFAULT_MODEL
        };
        Self {
            jwt: JwtConfig {
                hs256: key_ring(env, "JWT_SECRET"),
                keys,
                issuer: get(env, "JWT_ISSUER"),
                audience: get(env, "JWT_AUDIENCE"),
                leeway_secs: number(env, "JWT_LEEWAY_SECONDS", 30),
            },
            upload_keys: key_ring(env, "UPLOAD_SECRET"),
            dev_login: get(env, "DEV_LOGIN").as_deref() == Some("true"),
            cors_origins: get(env, "CORS_ORIGINS")
                .map(|s| s.split(',').map(|o| o.trim().to_owned()).collect())
                .unwrap_or_default(),
            llm: LlmConfig {
                provider,
                model: get(env, "LLM_MODEL").unwrap_or_else(|| default_model.to_owned()),
                api_key: get(env, "LLM_API_KEY"),
                timeout_ms: number(env, "LLM_TIMEOUT_MS", 8000),
            },
            rate_limit: number(env, "RATE_LIMIT_PER_MINUTE", 60),
            rate_window_ms: 60_000,
            max_upload_bytes: number(env, "MAX_UPLOAD_BYTES", 50 * 1024 * 1024),
            upload_url_ttl_s: number(env, "UPLOAD_URL_TTL_SECONDS", 7200),
            session_ttl_ms: number(
                env,
                "SESSION_TTL_SECONDS",
                crate::session::SESSION_TTL_MS / 1000,
            )
            .saturating_mul(1000),
            log_salt: log_salt(env),
            metrics_log: get(env, "METRICS_LOG").as_deref() == Some("true"),
            public_url: get(env, "PUBLIC_URL").map(|u| u.trim_end_matches('/').to_owned()),
            s3: match (
                get(env, "R2_S3_ENDPOINT"),
                get(env, "R2_ACCESS_KEY_ID"),
                get(env, "R2_SECRET_ACCESS_KEY"),
            ) {
                (Some(origin), Some(access_key_id), Some(secret_access_key)) => Some((
                    crate::s3::S3Target {
                        origin,
                        region: get(env, "R2_REGION").unwrap_or_else(|| "auto".into()),
                        access_key_id,
                        secret_access_key,
                    },
                    get(env, "R2_BUCKET_NAME").unwrap_or_else(|| "retouch-results".into()),
                )),
                _ => None,
            },
        }
    }
}
