//! The store-wide cart settings (admin).

use super::App;
use crate::Error;
use crate::domain::settings::{ChannelSettings, Settings, SettingsInput};
use crate::domain::values::ClientId;

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

/// Changes one channel's overrides of the store's settings with `change`.
pub async fn update_channel(
    app: &App,
    channel: &ClientId,
    change: impl FnOnce(&mut ChannelSettings),
) -> Result<Settings, Error> {
    app.check_backend()?;
    let mut settings = app.store.get_settings().await?;
    let mut overrides = settings.channel(channel);
    change(&mut overrides);
    settings.set_channel(channel, overrides)?;
    app.store.put_settings(&settings).await?;
    Ok(settings)
}
