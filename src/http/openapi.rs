//! The OpenAPI document's frame; the paths come from the handlers' annotations.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "order-system",
        description = "The order desk API: users, products, stock and orders. \
            Sign in with POST /api/auth/login and send the token as `Authorization: Bearer <token>`. \
            Money is an exact decimal string (\"19.90\"); times are UTC RFC 3339. \
            Errors are `{\"error\":{\"code\",\"message\",\"details\"}}`. \
            The scopes of the bearer requirement name the weakest role a route admits: \
            pending (any signed-in user, even before the first password change), user, staff, admin, superadmin."
    ),
    modifiers(&BearerScheme),
    tags(
        (name = "auth", description = "Signing in"),
        (name = "users", description = "Accounts (admins)"),
        (name = "products", description = "The catalogue and its stock"),
        (name = "inventory", description = "Stock adjustments and the stock ledger"),
        (name = "customers", description = "Who orders are for"),
        (name = "orders", description = "Orders and their workflow"),
        (name = "reports", description = "Sales and stock reports"),
        (name = "transfer", description = "CSV export and import"),
        (name = "audit", description = "Who changed what (admins)"),
        (name = "settings", description = "Business settings"),
        (name = "backups", description = "Verified backups (admins)"),
        (name = "maintenance", description = "Consistency check and clean-up (admins)"),
        (name = "stats", description = "Dashboard numbers"),
        (name = "system", description = "Health"),
    )
)]
pub struct ApiDoc;

struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}
