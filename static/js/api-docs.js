// The API's docs (templates/api/docs.html): Swagger UI, from our own static files, reading
// the schema at the address the page names. No inline script: the CSP allows none.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    domNode: root,
    deepLinking: true,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    // Nothing leaves the machine: no validator badge from swagger.io.
    validatorUrl: null,
  });
})();
