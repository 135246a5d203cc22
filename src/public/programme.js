// The "Propose a plan" button: progressive enhancement only. Without this file the form posts as
// usual and the next page arrives when the planner has finished. With it, the button is disabled
// once pressed (so the planner is not asked twice) and says "Planning…" while the page waits;
// its words come from the page (data-busy-text), so Welsh works.

for (const form of document.querySelectorAll('form[data-planning-form]')) {
  form.addEventListener('submit', () => {
    const button = form.querySelector('button[type="submit"], button:not([type])')
    const status = form.querySelector('[data-planning-status]')
    if (!button) return
    const busy = button.dataset.busyText || button.textContent
    // Disabled after this event, so the form is still sent.
    setTimeout(() => {
      button.disabled = true
      button.setAttribute('aria-disabled', 'true')
      button.textContent = busy
      if (status) status.textContent = busy
    }, 0)
  })
}
