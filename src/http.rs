//! The small HTTP listener: `/metrics` (Prometheus text), `/livez` and `/readyz`.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use prometheus::{Encoder, Registry, TextEncoder};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::health::Health;

#[derive(Clone)]
struct AppState {
    registry: Registry,
    health: Arc<Health>,
    ready_gauge: prometheus::IntGauge,
}

/// A bound listener, ready to serve.
pub struct HttpServer {
    listener: TcpListener,
    router: Router,
}

impl HttpServer {
    /// Binds `addr` (port 0 picks a free port).
    pub async fn bind(
        addr: SocketAddr,
        registry: Registry,
        health: Arc<Health>,
        ready_gauge: prometheus::IntGauge,
    ) -> std::io::Result<Self> {
        let listener = TcpListener::bind(addr).await?;
        let router = Router::new()
            .route("/metrics", get(metrics))
            .route("/livez", get(livez))
            .route("/readyz", get(readyz))
            .with_state(AppState { registry, health, ready_gauge });
        Ok(Self { listener, router })
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `cancel` fires.
    pub async fn serve(self, cancel: CancellationToken) -> std::io::Result<()> {
        axum::serve(self.listener, self.router).with_graceful_shutdown(cancel.cancelled_owned()).await
    }
}

async fn metrics(State(state): State<AppState>) -> Response {
    state.ready_gauge.set(i64::from(state.health.readiness().is_ok()));
    let mut body = Vec::new();
    match TextEncoder::new().encode(&state.registry.gather(), &mut body) {
        Ok(()) => ([(header::CONTENT_TYPE, prometheus::TEXT_FORMAT)], body).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

fn probe(result: Result<(), String>) -> Response {
    let (status, body) = match result {
        Ok(()) => (StatusCode::OK, serde_json::json!({ "status": "ok" })),
        Err(reason) => {
            (StatusCode::SERVICE_UNAVAILABLE, serde_json::json!({ "status": "unavailable", "reason": reason }))
        }
    };
    (status, [(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
}

async fn livez(State(state): State<AppState>) -> Response {
    probe(state.health.liveness())
}

async fn readyz(State(state): State<AppState>) -> Response {
    let readiness = state.health.readiness();
    state.ready_gauge.set(i64::from(readiness.is_ok()));
    probe(readiness.map_err(str::to_owned))
}
