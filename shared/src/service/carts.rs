//! Creating, reading, changing, listing, merging and deleting carts.

use super::{App, Precondition, Priced, retry};
use crate::domain::cart::{Cart, CartPatch, NewCart};
use crate::domain::items::LineItemInput;
use crate::domain::merge::MergeStrategy;
pub use crate::domain::merge::{MergeInput, MergeReport};
use crate::domain::product::{Catalog, ProductGuard};
use crate::domain::values::CustomerId;
use crate::store::{GuardedSave, Saved};
use crate::{Code, Error, Problem};
use chrono::{DateTime, Utc};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use uuid::Uuid;

/// Items refused by a partial add, reported beside the cart.
pub type Refused = Vec<Problem>;

/// Creates a cart, with its first items if the request has any (all or nothing).
pub async fn create(app: &App, mut input: NewCart, now: DateTime<Utc>) -> Result<Priced, Error> {
    // A signed-in shopper's new cart is theirs.
    if input.customer_id.is_none() {
        input.customer_id = app.shopper().cloned();
    }
    app.check_customer(input.customer_id.as_ref(), "customer_id")?;
    let (lines, customs) = (input.line_items.as_slice(), input.custom_items.as_slice());
    super::items::check_prices_trusted(app, lines, customs)?;
    let settings = app.settings().await?;
    let mut cart = Cart::new(&input, &settings, now)?;
    if !input.line_items.is_empty() || !input.custom_items.is_empty() {
        let (line_items, custom_items) =
            (input.line_items.as_slice(), input.custom_items.as_slice());
        let catalog = catalog_for(app, line_items).await?;
        cart.add_items(line_items, custom_items, &catalog, true)?;
    }
    match app.store.create_cart(&cart).await? {
        Saved::Done => app.price(cart, now).await,
        // A fresh v4 id never collides: the cart there is this one, whose answer was lost
        // (a retried create is refused by its own first attempt). Anything else would be a
        // bug, and nothing was overwritten.
        Saved::Conflict => match app.store.get_cart(cart.id).await? {
            Some(stored) if stored.write_id == cart.write_id => app.price(stored, now).await,
            _ => Err(Error::internal()),
        },
    }
}

/// A live cart: 404 when it does not exist or has expired, 403 when it is another
/// customer's and a shopper is signed in.
pub async fn load(app: &App, id: Uuid, now: DateTime<Utc>) -> Result<Cart, Error> {
    match app.store.get_cart(id).await? {
        Some(cart) if !cart.is_expired(now) => {
            app.check_owner(cart.customer_id.as_ref())?;
            Ok(cart)
        }
        _ => Err(Error::not_found("cart")),
    }
}

pub async fn get(app: &App, id: Uuid, now: DateTime<Utc>) -> Result<Priced, Error> {
    app.price(load(app, id, now).await?, now).await
}

pub async fn update(
    app: &App,
    id: Uuid,
    precondition: Option<&Precondition>,
    patch: CartPatch,
    now: DateTime<Utc>,
) -> Result<Priced, Error> {
    match &patch.customer_id {
        Some(Some(customer)) => app.check_customer(Some(customer), "customer_id")?,
        Some(None) => no_giving_away(app)?,
        _ => {}
    }
    let (cart, ()) = change(app, id, precondition, now, |cart| {
        cart.apply_patch(patch.clone(), now)
    })
    .await?;
    app.price(cart, now).await
}

/// Only the backend takes a cart's customer away: a shopper may not give a cart away.
fn no_giving_away(app: &App) -> Result<(), Error> {
    match app.shopper() {
        Some(_) => {
            Err(Error::forbidden("a signed-in shopper cannot give a cart away").at("customer_id"))
        }
        None => Ok(()),
    }
}

/// Makes the cart a guest cart again (as `update` with no customer, under its rules).
/// `named`, when the request names a customer, must be the cart's: removing someone the
/// cart does not belong to is `422 customer_mismatch`, and removes no one.
pub async fn remove_customer(
    app: &App,
    id: Uuid,
    named: Option<&CustomerId>,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    no_giving_away(app)?;
    let patch = CartPatch {
        customer_id: Some(None),
        ..CartPatch::default()
    };
    change(app, id, None, now, |cart| {
        if named.is_some_and(|named| cart.customer_id.as_ref() != Some(named)) {
            return Err(Error::of(
                Code::CustomerMismatch,
                "the cart does not belong to the customer named",
            )
            .at("customer_id"));
        }
        cart.apply_patch(patch.clone(), now)
    })
    .await?;
    Ok(())
}

/// Deletes the cart if it is still at `version`; `false` when it changed meanwhile (it
/// stays). BigCommerce's API deletes a cart whose last item was removed.
pub async fn delete_at(
    app: &App,
    id: Uuid,
    version: u64,
    now: DateTime<Utc>,
) -> Result<bool, Error> {
    let expected = Precondition::Versions(vec![version]);
    match delete(app, id, Some(&expected), now).await {
        Ok(()) => Ok(true),
        Err(err) if err.code() == Code::VersionMismatch => Ok(false),
        Err(err) => Err(err),
    }
}

pub async fn delete(
    app: &App,
    id: Uuid,
    precondition: Option<&Precondition>,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    retry::on_conflict(|| async {
        let current = load(app, id, now).await?;
        check(precondition, &current)?;
        Ok(match app.store.delete_cart(id, current.version).await? {
            Saved::Done => Some(()),
            // Gone since: this delete landed (its answer lost), or another did. Either way
            // the cart is deleted, as asked.
            Saved::Conflict if app.store.get_cart(id).await?.is_none() => Some(()),
            Saved::Conflict => None,
        })
    })
    .await
}

/// A page of a customer's carts, newest change first, and the cursor to the next page.
pub async fn list_for_customer(
    app: &App,
    customer: &CustomerId,
    limit: u32,
    cursor: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(Vec<Priced>, Option<String>), Error> {
    // A shopper may list their own carts; the backend anyone's.
    app.check_owner(Some(customer))?;
    let page = app
        .store
        .customer_carts(customer, limit, cursor, now)
        .await?;
    let promotions = app.promotions().await?;
    let carts = page
        .carts
        .into_iter()
        .map(|cart| Priced::new(cart, &promotions, now))
        .collect::<Result<_, _>>()?;
    Ok((carts, page.next))
}

/// The most carts `list_own` reads.
pub const MAX_OWN_CARTS: usize = 1000;

/// Every live cart of the signed-in shopper, most recently changed first (Elastic Path's
/// `GET /v2/carts`, which pages by offset and counts them all). A shopper's carts are few,
/// so they are read whole, 100 at a time, up to `MAX_OWN_CARTS`; the backend, which speaks
/// for every shopper, names one on the admin route instead (`422 shopper_required`).
pub async fn list_own(app: &App, now: DateTime<Utc>) -> Result<Vec<Priced>, Error> {
    let customer = app.shopper().cloned().ok_or_else(|| {
        Error::of(
            Code::ShopperRequired,
            "only a signed-in shopper has carts of their own; the backend lists a customer's \
             carts at /customers/{customer_id}/carts",
        )
    })?;
    let (mut all, mut cursor) = (Vec::new(), None);
    loop {
        let (page, next) = list_for_customer(app, &customer, 100, cursor.as_deref(), now).await?;
        all.extend(page);
        match next {
            Some(next) if all.len() < MAX_OWN_CARTS => cursor = Some(next),
            _ => return Ok(all),
        }
    }
}

/// Merges the source cart into the target and deletes the source, in one transaction
/// conditional on both carts' versions: a concurrent change to either makes it start over
/// from fresh reads, so nothing is lost.
pub async fn merge(
    app: &App,
    target_id: Uuid,
    precondition: Option<&Precondition>,
    input: MergeInput,
    now: DateTime<Utc>,
) -> Result<(Priced, MergeReport), Error> {
    let settings = app.settings().await?;
    // A refused merge lost a race, or landed with its answer lost (see `change_loaded`):
    // the target's write id then says it landed, before the (deleted) source is looked for.
    let refused: Mutex<Option<(Option<Uuid>, MergeReport)>> = Mutex::new(None);
    let read_catalog = AtomicBool::new(false);
    let (merged, report) = retry::on_conflict(|| async {
        // The two carts are read together; the source's products are read after, as the
        // source says which.
        let (target, source) = tokio::join!(
            load(app, target_id, now),
            load(app, input.source_cart_id, now)
        );
        let target = target?;
        let last = refused.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some((write_id, report)) = last
            && target.write_id == write_id
        {
            return Ok(Some((target, report)));
        }
        check(precondition, &target)?;
        let source = match source {
            Err(err) if err.code() == Code::NotFound && input.source_cart_id != target_id => {
                return Err(Error::of(
                    Code::SourceCartNotFound,
                    format!(
                        "cart {} does not exist or has expired",
                        input.source_cart_id
                    ),
                )
                .at("source_cart_id"));
            }
            other => other?,
        };
        // The source's lines say what the catalog said when they were priced; the
        // transaction checks it still does. Only when they cannot say (`merge_from_lines`),
        // or a product was saved since, is the catalog read.
        let from_lines = match read_catalog.load(Ordering::Relaxed) {
            true => None,
            false => merge_from_lines(&target, &source, input.strategy)?,
        };
        let (mut merged, report, guards) = match from_lines {
            Some(merged) => merged,
            None => {
                let catalog = app
                    .store
                    .get_products(source.line_items.iter().map(|i| &i.product_id))
                    .await?;
                let mut merged = target.clone();
                let report = merged.merge_from(&source, input.strategy, &catalog)?;
                (merged, report, Vec::new())
            }
        };
        merged.touch(&settings, now);
        let saved = app
            .store
            .merge_carts(&merged, target.version, source.id, source.version, &guards)
            .await?;
        if saved == GuardedSave::ProductChanged {
            read_catalog.store(true, Ordering::Relaxed);
        }
        Ok(match saved {
            GuardedSave::Done => Some((merged, report)),
            // Either refusal may be this merge's own write, landed with its answer lost.
            GuardedSave::Conflict | GuardedSave::ProductChanged => {
                *refused.lock().unwrap_or_else(|p| p.into_inner()) =
                    Some((merged.write_id, report));
                None
            }
        })
    })
    .await?;
    Ok((app.price(merged, now).await?, report))
}

/// `source` merged into `target` as the source's lines took the catalog, and what that
/// relies on (`merge_guards`); `None` when the lines cannot say (a line keeps no stamp, or
/// two lines took different versions of a product).
fn merge_from_lines(
    target: &Cart,
    source: &Cart,
    strategy: MergeStrategy,
) -> Result<Option<(Cart, MergeReport, Vec<ProductGuard>)>, Error> {
    if source.line_items.iter().any(|i| i.stamp.is_none()) {
        return Ok(None);
    }
    let mut merged = target.clone();
    let report = merged.merge_from(source, strategy, &Catalog::default())?;
    Ok(merged
        .merge_guards(source)
        .map(|guards| (merged, report, guards)))
}

fn check(precondition: Option<&Precondition>, cart: &Cart) -> Result<(), Error> {
    precondition.map_or(Ok(()), |m| m.check(cart.version))
}

/// The one way a cart changes: load it (404 if gone), check `If-Match` (412), apply
/// `change` to a copy, and save it if anything changed, with a new version, `updated_at`
/// and expiry. A refused change (`Err`) or a lost race writes nothing; a lost race is
/// retried from a fresh read, so concurrent changes are never lost.
pub async fn change<T>(
    app: &App,
    id: Uuid,
    precondition: Option<&Precondition>,
    now: DateTime<Utc>,
    change: impl Fn(&mut Cart) -> Result<T, Error>,
) -> Result<(Cart, T), Error> {
    let first = load(app, id, now).await?;
    change_loaded(app, first, precondition, now, change).await
}

/// `change_loaded`, saved only while each of `guards` holds (the products the change relies
/// on without reading them): `None`, with nothing written, when one does not.
pub async fn change_guarded<T>(
    app: &App,
    first: Cart,
    precondition: Option<&Precondition>,
    now: DateTime<Utc>,
    guards: &[ProductGuard],
    change: impl Fn(&mut Cart) -> Result<T, Error>,
) -> Result<Option<(Cart, T)>, Error> {
    apply(
        app,
        first,
        precondition,
        now,
        Touch::Activity,
        guards,
        change,
    )
    .await
}

/// `change`, starting from a cart the caller has just loaded (and so saving a read).
pub async fn change_loaded<T>(
    app: &App,
    first: Cart,
    precondition: Option<&Precondition>,
    now: DateTime<Utc>,
    change: impl Fn(&mut Cart) -> Result<T, Error>,
) -> Result<(Cart, T), Error> {
    let done = apply(app, first, precondition, now, Touch::Activity, &[], change).await?;
    done.ok_or_else(Error::internal)
}

/// A change to what an application keeps on the cart (metafields), not to what the
/// shopper buys: saved as `change` saves, with a new version, but the cart stays as
/// checked out, abandoned and long-lived as it was (`Cart::touch_quietly`).
pub async fn change_metadata<T>(
    app: &App,
    id: Uuid,
    now: DateTime<Utc>,
    change: impl Fn(&mut Cart) -> Result<T, Error>,
) -> Result<(Cart, T), Error> {
    let first = load(app, id, now).await?;
    let done = apply(app, first, None, now, Touch::Quietly, &[], change).await?;
    done.ok_or_else(Error::internal)
}

/// How a saved change marks the cart.
#[derive(Clone, Copy)]
enum Touch {
    /// Shopper activity: `Cart::touch`.
    Activity,
    /// Metadata only: `Cart::touch_quietly`.
    Quietly,
}

async fn apply<T>(
    app: &App,
    first: Cart,
    precondition: Option<&Precondition>,
    now: DateTime<Utc>,
    touch: Touch,
    guards: &[ProductGuard],
    change: impl Fn(&mut Cart) -> Result<T, Error>,
) -> Result<Option<(Cart, T)>, Error> {
    let settings = app.settings().await?;
    let id = first.id;
    let mut preloaded = Some(first);
    // A refused write: it lost a race, or it landed and only its answer was lost (the SDK's
    // retry is then what was refused). The next read tells which: its write id is ours.
    let refused: Mutex<Option<(Option<Uuid>, T)>> = Mutex::new(None);
    retry::on_conflict(|| {
        let preloaded = preloaded.take();
        let (change, settings, refused) = (&change, &settings, &refused);
        async move {
            let current = match preloaded {
                Some(cart) => cart,
                None => load(app, id, now).await?,
            };
            let last = refused.lock().unwrap_or_else(|p| p.into_inner()).take();
            if let Some((write_id, outcome)) = last
                && current.write_id == write_id
            {
                return Ok(Some(Some((current, outcome))));
            }
            check(precondition, &current)?;
            let mut cart = current.clone();
            let outcome = change(&mut cart)?;
            if cart == current {
                return Ok(Some(Some((cart, outcome))));
            }
            match touch {
                Touch::Activity => cart.touch(settings, now),
                Touch::Quietly => cart.touch_quietly(),
            }
            let saved = match guards.is_empty() {
                true => match app.store.save_changed_cart(&cart, &current).await? {
                    Saved::Done => GuardedSave::Done,
                    Saved::Conflict => GuardedSave::Conflict,
                },
                false => {
                    app.store
                        .save_cart_guarded(&cart, current.version, guards)
                        .await?
                }
            };
            Ok(match saved {
                GuardedSave::Done => Some(Some((cart, outcome))),
                GuardedSave::Conflict => {
                    *refused.lock().unwrap_or_else(|p| p.into_inner()) =
                        Some((cart.write_id, outcome));
                    None
                }
                GuardedSave::ProductChanged => Some(None),
            })
        }
    })
    .await
}

/// The catalog entries a request's line items name, in one batch read (none when there are
/// no line items).
pub async fn catalog_for(app: &App, line_items: &[LineItemInput]) -> Result<Catalog, Error> {
    if line_items.is_empty() {
        return Ok(Catalog::default());
    }
    app.store
        .get_products(line_items.iter().map(|i| &i.product_id))
        .await
}
