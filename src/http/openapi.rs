//! The OpenAPI document's frame; the paths come from the handlers' annotations.

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
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
            pending (any signed-in user, even before the first password change), user, staff, admin."
    ),
    modifiers(&BearerScheme),
    // Shapes no handler names as its declared body, but some answers have.
    components(schemas(
        crate::products::types::CatalogueProduct,
        crate::transfer::export::Lang,
        crate::reports::csv::Format
    )),
    tags(
        (name = "auth", description = "Signing in"),
        (name = "users", description = "Accounts (admins)"),
        (name = "products", description = "The catalogue and its stock"),
        (name = "inventory", description = "Stock adjustments and the stock ledger"),
        (name = "customers", description = "Who orders are for"),
        (name = "orders", description = "Orders and their workflow"),
        (name = "payments", description = "Payments, refunds and voids on an order"),
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

/// The answers that come from the shared plumbing rather than from a handler: the access
/// policy (401, 403), the path and JSON extractors (400, 413, 415, 422) and the query
/// extractor (422). [`add_common_responses`] documents each on every operation that can give
/// it, as a reference to `components.responses`; an operation's own description of the same
/// status wins.
const COMMON_RESPONSES: [(&str, &str, &str); 6] = [
    (
        "400",
        "BadRequest",
        "Malformed JSON, or a path parameter of the wrong type (e.g. an id that is not an integer)",
    ),
    (
        "401",
        "Unauthorized",
        "Not signed in, or the token or session is no longer valid",
    ),
    (
        "403",
        "Forbidden",
        "The role does not allow this, the password must be changed first, or a cookie request \
         came from another site (csrf_rejected)",
    ),
    ("413", "PayloadTooLarge", "The body is over the size limit"),
    (
        "415",
        "UnsupportedMediaType",
        "The body is not sent with Content-Type: application/json",
    ),
    (
        "422",
        "Unprocessable",
        "A field or query parameter is invalid; details.field names it",
    ),
];

/// Adds the [`COMMON_RESPONSES`] to the operations of a complete document (run it after the
/// capabilities' routes are merged in; the derive's modifiers run before).
pub fn add_common_responses(doc: &mut utoipa::openapi::OpenApi) {
    let components = doc.components.get_or_insert_with(Default::default);
    for (_, name, description) in COMMON_RESPONSES {
        let body = ContentBuilder::new()
            .schema(Some(Ref::from_schema_name("ErrorBody")))
            .build();
        let response = ResponseBuilder::new()
            .description(description)
            .content("application/json", body)
            .build();
        components.responses.insert(name.to_owned(), RefOr::T(response));
    }
    for item in doc.paths.paths.values_mut() {
        let operations = [
            (true, item.get.as_mut()),
            (false, item.post.as_mut()),
            (false, item.put.as_mut()),
            (false, item.patch.as_mut()),
            (false, item.delete.as_mut()),
        ];
        for (is_get, op) in operations {
            if let Some(op) = op {
                for status in common_statuses(op, is_get) {
                    let (_, name, _) = COMMON_RESPONSES.iter().find(|(s, ..)| *s == status).expect("listed");
                    op.responses
                        .responses
                        .entry(status.to_owned())
                        .or_insert_with(|| RefOr::Ref(Ref::from_response_name(*name)));
                }
            }
        }
    }
}

/// Which of the common statuses an operation can answer with.
fn common_statuses(op: &Operation, is_get: bool) -> Vec<&'static str> {
    let mut statuses = Vec::new();
    let params = op.parameters.iter().flatten().filter_map(|p| match p {
        RefOr::T(p) => Some(&p.parameter_in),
        RefOr::Ref(_) => None,
    });
    let (mut in_path, mut in_query) = (false, false);
    for place in params {
        in_path |= matches!(place, ParameterIn::Path);
        in_query |= matches!(place, ParameterIn::Query);
    }
    let json_body = op
        .request_body
        .as_ref()
        .is_some_and(|body| matches!(body, RefOr::T(body) if body.content.contains_key("application/json")));
    // The bearer requirement's first scope is the policy (see auth::policy); none is public.
    let scope = op.security.iter().flatten().find_map(|req| {
        let value = serde_json::to_value(req).ok()?;
        value.get("bearer")?.get(0)?.as_str().map(str::to_owned)
    });
    if in_path || json_body {
        statuses.push("400");
    }
    if let Some(scope) = scope {
        statuses.push("401");
        // Pending routes admit every signed-in user; only a cookie write can be refused (CSRF).
        if scope != "pending" || !is_get {
            statuses.push("403");
        }
    }
    if json_body {
        statuses.extend(["413", "415"]);
    }
    if json_body || in_query {
        statuses.push("422");
    }
    statuses
}

/// The query parameter with which a report answers with a CSV file instead of JSON
/// (`reports::csv::FormatParams`).
const FORMAT_PARAM: &str = "format";

/// Documents the CSV answer of every operation that takes `format` (the reports and the
/// statement): its 200 is `text/csv` as well as JSON. One place for all of them, so a new
/// report cannot forget it.
pub fn add_csv_alternatives(doc: &mut utoipa::openapi::OpenApi) {
    for item in doc.paths.paths.values_mut() {
        let Some(op) = item.get.as_mut() else { continue };
        let takes_format = op.parameters.iter().flatten().any(
            |p| matches!(p, RefOr::T(p) if p.name == FORMAT_PARAM && matches!(p.parameter_in, ParameterIn::Query)),
        );
        if !takes_format {
            continue;
        }
        if let Some(RefOr::T(ok)) = op.responses.responses.get_mut("200") {
            let csv = ContentBuilder::new()
                .schema(Some(
                    utoipa::openapi::ObjectBuilder::new().schema_type(utoipa::openapi::Type::String),
                ))
                .build();
            ok.content.insert("text/csv".to_owned(), RefOr::T(csv));
        }
    }
}
