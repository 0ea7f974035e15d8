//! The store-wide settings (admin): the cart settings and the abandoned-cart e-mail ones.
//! Every change is read, applied and written back only if nobody wrote in between; a lost
//! race is redone from a fresh read.

use super::{App, retry};
use crate::Error;
use crate::domain::abandoned_settings::{AbandonedCartChange, AbandonedCartSettings};
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
    change_settings(app, |settings| {
        settings.apply(input.clone());
        Ok(())
    })
    .await
}

/// Changes one channel's overrides of the store's settings with `change`.
pub async fn update_channel(
    app: &App,
    channel: &ClientId,
    change: impl Fn(&mut ChannelSettings),
) -> Result<Settings, Error> {
    change_settings(app, |settings| {
        let mut overrides = settings.channel(channel);
        change(&mut overrides);
        settings.set_channel(channel, overrides)
    })
    .await
}

async fn change_settings(
    app: &App,
    change: impl Fn(&mut Settings) -> Result<(), Error>,
) -> Result<Settings, Error> {
    app.check_backend()?;
    retry::on_conflict(|| async {
        let read = app.store.get_settings_revised().await?;
        let mut settings = read.value;
        change(&mut settings)?;
        let written = app.store.put_settings(&settings, read.revision).await?;
        Ok(written.then_some(settings))
    })
    .await
}

/// The abandoned-cart e-mail settings as stored.
pub async fn abandoned_carts(app: &App) -> Result<AbandonedCartSettings, Error> {
    app.check_backend()?;
    Ok(app.store.get_abandoned_cart_settings().await?.value)
}

/// Changes the store's abandoned-cart choices, or one channel's when `channel` is given.
pub async fn update_abandoned_carts(
    app: &App,
    channel: Option<&ClientId>,
    change: AbandonedCartChange,
) -> Result<AbandonedCartSettings, Error> {
    app.check_backend()?;
    retry::on_conflict(|| async {
        let read = app.store.get_abandoned_cart_settings().await?;
        let mut settings = read.value;
        match channel {
            None => settings.change_store(change.clone()),
            Some(channel) => settings.change_channel(channel, change.clone())?,
        }
        let written = app
            .store
            .put_abandoned_cart_settings(&settings, read.revision)
            .await?;
        Ok(written.then_some(settings))
    })
    .await
}
