// Autosave for the evidence form, so a note is never lost. Progressive enhancement only: without
// this file the form is a plain form that saves when its button is pressed.
//
// While the inspector types, the form is kept as a draft in this browser's localStorage (per ELV
// and item) and sent to the server a few seconds after typing stops, or when a field is left.
// The draft is removed only once the server has confirmed exactly what it holds. Offline, the
// draft waits and is sent when the connection returns. A save the server refuses because someone
// else saved first stops autosaving and shows both versions: nothing is ever overwritten.
// Every word shown comes from the page (data- attributes), so Welsh works.

const IDLE_MS = 3000
const RETRY_MS = 10000
const FIELDS = ['kind', 'title', 'body', 'source', 'meetingId', 'gatheredOn']
const LISTS = ['focusAreaIds', 'themes']

const form = document.querySelector('form[data-autosave]')
if (form) start(form)

function start(form) {
  const data = form.dataset
  const elvId = data.elvId
  const locale = data.locale || document.documentElement.lang || 'en-GB'
  const csrf = form.querySelector('input[name="_csrf"]').value
  const statusEl = document.getElementById('autosave-status')
  const draftOffer = document.getElementById('autosave-draft')
  const savedPanel = document.getElementById('saved-version')

  let itemId = data.itemId || null
  let saveUrl = data.autosave
  let stopped = data.autosaveStopped === 'true'
  /** What the server is known to hold, as JSON text. */
  let confirmed = stringify(read())
  let inFlight = false
  let again = false
  let submitAfter = false
  let retrying = false
  let idle = null
  /** The version the typed changes are based on: kept with the draft, so restoring it later cannot overwrite a newer save. */
  let base = (form.querySelector('input[name="version"]') || {}).value || null

  const keyFor = (id) => `cyswllt:evidence-draft:${elvId}:${id || 'new'}`
  const message = (name, params = {}) =>
    (data[`msg${name}`] || '').replace(/\{(\w+)\}/g, (whole, p) => (p in params ? String(params[p]) : whole))
  const time = (iso, withDate) => new Intl.DateTimeFormat(locale, withDate
    ? { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }
    : { hour: '2-digit', minute: '2-digit' }).format(new Date(iso))

  function setStatus(text) {
    // Only a change is written, so a screen reader hears each state once.
    if (statusEl && statusEl.textContent !== text) statusEl.textContent = text
  }

  // ---- the form's values ------------------------------------------------------------------------

  function read() {
    const values = {}
    for (const name of FIELDS) {
      const els = form.querySelectorAll(`[name="${name}"]`)
      values[name] = ''
      for (const el of els) {
        if (el.type === 'radio') { if (el.checked) values[name] = el.value } else values[name] = el.value
      }
    }
    for (const name of LISTS) {
      values[name] = [...form.querySelectorAll(`[name="${name}"]`)].filter((el) => el.checked).map((el) => el.value)
    }
    return values
  }

  function fill(values) {
    for (const name of FIELDS) {
      for (const el of form.querySelectorAll(`[name="${name}"]`)) {
        if (el.type === 'radio') el.checked = el.value === values[name]
        else if (typeof values[name] === 'string') el.value = values[name]
      }
    }
    for (const name of LISTS) {
      const chosen = Array.isArray(values[name]) ? values[name] : []
      for (const el of form.querySelectorAll(`[name="${name}"]`)) el.checked = chosen.includes(el.value)
    }
  }

  function stringify(values) {
    return JSON.stringify([...FIELDS, ...LISTS].map((n) => values[n]))
  }

  function versionInput() {
    let input = form.querySelector('input[name="version"]')
    if (!input) {
      input = document.createElement('input')
      input.type = 'hidden'
      input.name = 'version'
      form.appendChild(input)
    }
    return input
  }

  // ---- the draft on this device -----------------------------------------------------------------

  function loadDraft(id) {
    try {
      const raw = localStorage.getItem(keyFor(id))
      return raw ? JSON.parse(raw) : null
    } catch {
      return null
    }
  }

  /** The new item's key (see the form): a first save sent again changes that item instead of adding another. */
  const draftKeyInput = () => form.querySelector('input[name="draftKey"]')

  function keepDraft() {
    try {
      const draftKey = itemId ? null : (draftKeyInput() || {}).value || null
      localStorage.setItem(keyFor(itemId), JSON.stringify({ values: read(), at: new Date().toISOString(), version: base, draftKey }))
    } catch {
      // Storage full or refused (private browsing): the server copy is then the only one.
    }
  }

  function dropDraft(id) {
    try { localStorage.removeItem(keyFor(id)) } catch { /* nothing to drop */ }
  }

  // ---- saving -----------------------------------------------------------------------------------

  function schedule(ms) {
    clearTimeout(idle)
    idle = setTimeout(save, ms)
  }

  async function save() {
    clearTimeout(idle)
    if (stopped) return
    if (inFlight) { again = true; return }
    const values = read()
    const text = stringify(values)
    if (text === confirmed) {
      dropDraft(itemId)
      return
    }
    if (navigator.onLine === false) return offline()
    inFlight = true
    setStatus(message('Saving'))
    const body = { ...values }
    if (itemId) body.version = Number(versionInput().value)
    else if (draftKeyInput()) body.draftKey = draftKeyInput().value
    let res
    try {
      res = await fetch(saveUrl, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify(body),
      })
    } catch {
      inFlight = false
      return offline()
    }
    let json = null
    if ((res.headers.get('content-type') || '').includes('application/json')) {
      try { json = await res.json() } catch { json = null }
    }
    inFlight = false
    if (res.ok && json && json.id) accepted(json, text)
    else if (res.status === 409 && json && json.current) conflict(json.current)
    else if (json && json.error && res.status < 500) invalid(json.error)
    else if (res.redirected && new URL(res.url).pathname === '/sign-in') failed(message('SignedOut'))
    else failed(message('Failed'))
    if (submitAfter) return submitNow()
    if (again && !stopped) { again = false; schedule(0) }
  }

  function accepted(json, text) {
    confirmed = text
    retrying = false
    versionInput().value = String(json.version)
    base = String(json.version)
    if (!itemId) {
      // The item now exists: from here on, the form (and its plain submit) changes it instead of creating another.
      dropDraft(null)
      itemId = String(json.id)
      form.action = json.url
      saveUrl = `${json.url}/autosave`
      window.history.replaceState(window.history.state, '', json.url)
    }
    setStatus(message('Saved', { time: time(json.savedAt, false) }))
    if (stringify(read()) === confirmed) dropDraft(itemId)
    else keepDraft()
  }

  function offline() {
    setStatus(message('Offline'))
    retrying = true
  }

  function failed(text) {
    setStatus(text)
    retrying = true
  }

  function invalid(error) {
    const problems = (error.details || []).map((d) => d.message).filter(Boolean)
    setStatus(message('Invalid', { problems: problems.length ? problems.join('; ') : error.message }))
    // The inspector must change something first; the next change tries again.
    retrying = false
  }

  function conflict(current) {
    stopped = true
    retrying = false
    versionInput().value = String(current.version)
    if (savedPanel) {
      savedPanel.querySelector('[data-saved="by"]').textContent = message('SavedBy', { name: current.updatedBy, time: time(current.updatedAt, true) })
      savedPanel.querySelector('[data-saved="title"]').textContent = current.title
      savedPanel.querySelector('[data-saved="body"]').textContent = current.body
      savedPanel.hidden = false
    }
    setStatus(message('Conflict'))
  }

  function submitNow() {
    submitAfter = false
    form.submit()
  }

  // ---- events -----------------------------------------------------------------------------------

  form.addEventListener('input', () => {
    keepDraft()
    if (!stopped) schedule(IDLE_MS)
  })
  form.addEventListener('change', () => {
    keepDraft()
    if (!stopped) schedule(IDLE_MS)
  })
  form.addEventListener('focusout', () => {
    if (!stopped && stringify(read()) !== confirmed) save()
  })
  form.addEventListener('submit', (event) => {
    clearTimeout(idle)
    keepDraft()
    // A first autosave still on its way would create the item: wait for it, so the submit changes that item.
    if (inFlight) {
      event.preventDefault()
      submitAfter = true
    }
  })
  window.addEventListener('online', () => { if (retrying) save() })
  window.setInterval(() => { if (retrying && !inFlight) save() }, RETRY_MS)

  // ---- a draft left from before -----------------------------------------------------------------

  // On an item's page, a draft of a new item that became this one (the plain form created it) is done with.
  const newDraft = itemId ? loadDraft(null) : null
  if (newDraft && stringify(newDraft.values) === confirmed) dropDraft(null)

  const draft = loadDraft(itemId)
  if (draft && stringify(draft.values) === confirmed) {
    dropDraft(itemId)
  } else if (draft && draftOffer) {
    draftOffer.querySelector('[data-draft="text"]').textContent = message('DraftFound', { time: time(draft.at, true) })
    draftOffer.hidden = false
    draftOffer.querySelector('[data-draft="restore"]').addEventListener('click', () => {
      fill(draft.values)
      // Saved against the version the draft was written on, so anything saved since is not overwritten.
      if (itemId && draft.version) versionInput().value = base = draft.version
      // A new item's draft keeps its key: if its first save did reach the server, this changes that item.
      if (!itemId && draft.draftKey && draftKeyInput()) draftKeyInput().value = draft.draftKey
      draftOffer.hidden = true
      keepDraft()
      form.querySelector('[name="body"]').focus()
      save()
    })
    draftOffer.querySelector('[data-draft="discard"]').addEventListener('click', () => {
      dropDraft(itemId)
      draftOffer.hidden = true
    })
  }
}
