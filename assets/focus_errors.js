// After a form is sent, the server may answer with field errors (aria-invalid="true", the message in a
// role=alert next to the field). Keyboard focus then moves to the first field to fix, instead of staying
// on the submit button (WCAG 3.3.1). Only when focus has not moved on since the submit.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const from = document.activeElement;
  const stillWaiting = () => document.activeElement === from || document.activeElement === document.body;
  const focusFirstError = () => {
    const invalid = form.isConnected && form.querySelector('[aria-invalid="true"]');
    if (invalid && stillWaiting()) {
      observer.disconnect();
      invalid.focus();
    }
  };
  const observer = new MutationObserver(focusFirstError);
  observer.observe(form, { subtree: true, childList: true, attributes: true, attributeFilter: ["aria-invalid"] });
  // the same errors again change nothing in the page: look once more when the answer must be in
  setTimeout(focusFirstError, 1500);
  setTimeout(() => observer.disconnect(), 5000);
}, true);
