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

  /** The widget itself, a region named "IM sessions". */
  get region() {
    return this.page.getByRole('region', { name: 'IM sessions' });
  }

  get heading() {
    return this.region.getByRole('heading', { name: 'IM sessions' });
  }

  /** The status line shown when there is no list (loading, empty). */
  get status() {
    return this.region.getByRole('status');
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
}
