//! The store-wide cart settings (admin).

use super::App;
use crate::Error;
use crate::domain::settings::{Settings, SettingsInput};

/// The settings as stored now (not the cached copy).
pub async fn get(app: &App) -> Result<Settings, Error> {
    app.check_backend()?;
    app.store.get_settings().await
}

/// Changes the fields the body names. Warm functions pick the change up within their
/// cache lifetime (`CONFIG_CACHE_SECONDS`).
pub async fn update(app: &App, input: SettingsInput) -> Result<Settings, Error> {
    app.check_backend()?;
    let mut settings = app.store.get_settings().await?;
    settings.apply(input);
    app.store.put_settings(&settings).await?;
    Ok(settings)
}
