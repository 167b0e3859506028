// The demo shop's order page: asks the service for the order's stored state until Alipay's notification has
// arrived, and shows each change by reloading the (server-rendered) page. No inline script: the pages' CSP forbids it.
(function () {
  var box = document.getElementById('order');
  if (!box || box.getAttribute('data-waiting') !== 'true') {
    return;
  }
  var url = box.getAttribute('data-status-url');
  var status = box.getAttribute('data-status');
  var notified = parseInt(box.getAttribute('data-notifications'), 10) || 0;
  var started = Date.now();
  function poll() {
    if (Date.now() - started > 15 * 60 * 1000) {
      return; // the payment expires after 15 minutes; stop asking
    }
    fetch(url, {headers: {'Accept': 'application/json'}, cache: 'no-store'})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (s && (s.status !== status || s.notifications !== notified)) {
          window.location.reload();
          return;
        }
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, 1000);
})();
