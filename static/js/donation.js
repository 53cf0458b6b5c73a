// The donation waiting page: checks the status every 2 seconds, counts down the time left
// to approve the prompt, and turns into the thank-you or the failure when M-Pesa answers.
// Loaded as a file (no inline script: the Content-Security-Policy forbids it).
(function () {
  "use strict";
  const root = document.getElementById("donation");
  if (!root || root.dataset.done === "true") return;

  const POLL_MS = 2000;
  const statusUrl = root.dataset.statusUrl;
  const countdown = document.getElementById("donation-countdown");
  const late = document.getElementById("donation-late");
  let secondsLeft = parseInt(root.dataset.secondsLeft, 10) || 0;
  let finished = false;

  function show(outcome) {
    finished = true;
    const section = document.getElementById(
      outcome.status === "paid" ? "donation-paid" : "donation-failed"
    );
    section.querySelector('[data-outcome="message"]').textContent = outcome.message;
    const receipt = section.querySelector('[data-outcome="receipt"]');
    if (receipt) receipt.textContent = outcome.receipt;
    document.getElementById("donation-waiting").hidden = true;
    section.hidden = false;
    document.title = outcome.title;
    const heading = section.querySelector("h1");
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  }

  function tick() {
    if (finished) return;
    secondsLeft = Math.max(0, secondsLeft - 1);
    countdown.textContent = String(secondsLeft);
    if (secondsLeft === 0) late.hidden = false;
  }

  async function poll() {
    if (finished) return;
    try {
      const response = await fetch(statusUrl, {
        headers: { Accept: "application/json" },
        cache: "no-store",
      });
      if (response.ok) {
        const outcome = await response.json();
        if (outcome.done) {
          show(outcome);
          return;
        }
      }
    } catch (error) {
      // A dropped connection: the next check tries again.
    }
    window.setTimeout(poll, POLL_MS);
  }

  window.setInterval(tick, 1000);
  window.setTimeout(poll, POLL_MS);
})();
