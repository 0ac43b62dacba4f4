// Renders the leakscope OpenAPI document with swagger-ui (bundled, no CDN).
// "Authorize" takes the same bearer token as the dashboard.
window.ui = SwaggerUIBundle({
  url: "/api/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  persistAuthorization: false,
});
