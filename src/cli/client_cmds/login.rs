//! `deskport login`: with a password, or with a code the portal emails (password-less
//! sign-in, when the portal allows it).

use super::super::failure::{Exit, api_failure, fail, warn};
use super::super::output::print;
use super::super::{language, paths, prompt};
use color_eyre::eyre::{Result, WrapErr};
use deskport::client::{ApiClient, ApiError, Session, normalize_server_url};
use deskport::domain::text::strip_control;
use deskport::tui::i18n::{self, t, tf};

/// How `deskport login` signs in.
#[derive(Debug, clap::Args)]
pub struct Login {
    /// Server base URL, e.g. http://127.0.0.1:7878.
    #[arg(long)]
    pub server: String,
    /// The account's email.
    #[arg(long)]
    pub email: String,
    /// Read the password from standard input instead of prompting.
    #[arg(long, conflicts_with = "code")]
    pub password_stdin: bool,
    /// Sign in with a code the portal emails instead of a password (registered customers,
    /// when the portal allows password-less sign-in).
    #[arg(long)]
    pub code: bool,
    /// With --code: read the code from standard input instead of prompting.
    #[arg(long, requires = "code")]
    pub code_stdin: bool,
}

/// `deskport login`.
pub async fn login(args: Login) -> Result<()> {
    let server = normalize_server_url(&args.server);
    let session = if args.code {
        with_code(&server, &args.email, args.code_stdin).await?
    } else {
        let password = prompt::read_password(
            args.password_stdin,
            &format!(
                "{} ",
                tf("cli-password-prompt", &[("email", (&args.email).into())])
            ),
        )?;
        deskport::client::login(&server, &args.email, &password)
            .await
            .map_err(|e| match e {
                ApiError::Unauthorized(_) => fail(Exit::SignedOut, t("error-wrong-login")),
                other => api_failure(&server, &other),
            })?
    };
    session
        .save(&paths::config_dir())
        .wrap_err_with(|| t("cli-session-unsaved"))?;
    language::speak_for(&session);
    let a = &session.account;
    let name = strip_control(&a.name);
    let signed_in = tf(
        "cli-signed-in",
        &[
            ("server", (&session.server_url).into()),
            ("name", (&name).into()),
            ("email", (&a.email).into()),
            ("role", (&i18n::role(a.role)).into()),
        ],
    );
    print(|out| writeln!(out, "{signed_in}"))?;
    let client = ApiClient::new(&session.server_url)?.with_token(session.token.clone());
    if let Ok(me) = client.me().await
        && me.consent_required
    {
        warn(t("cli-consent-first"));
    }
    Ok(())
}

/// Asks the portal to email a code to `email`, reads it (typed, or from stdin) and exchanges
/// it for a session.
async fn with_code(server: &str, email: &str, code_stdin: bool) -> Result<Session> {
    prompt::can_prompt(code_stdin, "--code-stdin")?;
    let api = ApiClient::new(server)?;
    let refused = |e: ApiError| match e {
        ApiError::Forbidden { code, .. } if code == "passwordless_disabled" => {
            fail(Exit::NotAllowed, t("cli-no-passwordless"))
        }
        ApiError::Unauthorized(_) => fail(Exit::SignedOut, t("error-wrong-code")),
        other => api_failure(server, &other),
    };
    let outcome = api.request_code(email).await.map_err(refused)?;
    if !outcome.email_sent {
        let why = outcome.reason.unwrap_or_else(|| t("cli-no-reason"));
        let message = tf("cli-no-code-sent", &[("reason", (&why).into())]);
        return Err(fail(Exit::Failed, message));
    }
    eprintln!("{}", tf("cli-code-on-its-way", &[("email", email.into())]));
    let code = prompt::read_visible(code_stdin, &format!("{} ", t("cli-code-prompt")))?;
    let answer = api.verify_code(email, code.trim()).await.map_err(refused)?;
    Ok(Session {
        server_url: api.server_url().to_string(),
        token: answer.token,
        account: answer.user,
    })
}
