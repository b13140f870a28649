// Page object for the widget: finds things by role and visible text, as an agent would.

export class WidgetPage {
  /** @param {import('playwright-core').Page} page */
  constructor(page) {
    this.page = page;
  }

  async open(url) {
    await this.page.goto(url);
    await this.region.waitFor();
    return this;
  }

  /** Opens the page and waits until the live channel says "Connected". */
  async openConnected(url) {
    await this.open(url);
    await this.connection('Connected').waitFor();
    return this;
  }

  /** The widget itself, a region named "IM sessions". */
  get region() {
    return this.page.getByRole('region', { name: 'IM sessions' });
  }

  get heading() {
    return this.region.getByRole('heading', { name: 'IM sessions' });
  }

  /** The connection indicator showing `text` ("Connected", "Reconnecting…", "Offline"). */
  connection(text) {
    return this.region.getByRole('status').filter({ hasText: new RegExp(`^${text}$`) });
  }

  /** The status line shown when there is no list (loading, empty). */
  get status() {
    return this.region.getByRole('status').filter({ hasText: /IM sessions/ });
  }

  get error() {
    return this.region.getByRole('alert');
  }

  get sessionList() {
    return this.region.getByRole('list', { name: 'Sessions' });
  }

  get sessionRows() {
    return this.sessionList.getByRole('listitem');
  }

  /** The list row (its button) for the session with `number`. */
  row(number) {
    return this.sessionList.getByRole('button', { name: new RegExp(number) });
  }

  async openSession(number) {
    await this.row(number).click();
    await this.chat(number).waitFor();
    return this.chat(number);
  }

  /** The chat pane of the session with `number`. */
  chat(number) {
    return this.region.getByRole('region', { name: `Chat with ${number}` });
  }

  get transcript() {
    return this.region.getByRole('log', { name: 'Messages' });
  }

  get composer() {
    return this.region.getByRole('textbox', { name: 'Message' });
  }

  button(name) {
    return this.region.getByRole('button', { name, exact: true });
  }

  /** The header's menu button ("Settings": desktop alerts, mute, keyboard shortcuts). */
  get menuButton() {
    return this.region.getByRole('button', { name: 'Settings', exact: true });
  }

  get menu() {
    return this.region.getByRole('menu', { name: 'Settings' });
  }

  /** Opens the header's menu with a click and returns its item named `name` (role menuitem or menuitemcheckbox). */
  async menuItem(name, role = 'menuitem') {
    if ((await this.menuButton.getAttribute('aria-expanded')) !== 'true') await this.menuButton.click();
    await this.menu.waitFor();
    return this.menu.getByRole(role, { name, exact: true });
  }

  /** Types `text` into the composer and presses Enter. */
  async send(text) {
    await this.composer.fill(text);
    await this.composer.press('Enter');
  }

  get caseData() {
    return this.region.getByRole('region', { name: 'Case data' });
  }

  /** Opens the case-data panel's inputs (its pencil, "Edit case data") and returns the panel. */
  async editCaseData() {
    const data = this.caseData;
    await data.getByRole('button', { name: 'Edit case data', exact: true }).click();
    await data.getByRole('button', { name: 'Done', exact: true }).waitFor();
    return data;
  }

  get newImDialog() {
    return this.region.getByRole('dialog', { name: 'New IM' });
  }
}

/** Polls `probe` until it returns a truthy value (or throws after `timeoutMs`). */
export async function eventually(probe, { timeoutMs = 10_000, intervalMs = 100, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) return last;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
}
