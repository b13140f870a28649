// The core journey: the list shows a ringing session; the agent opens it, sends (shown Sent, once on
// screen and once at the server), their message arrives live, removing Complete disables End
// session, case data changes reach the server's copy, and End session completes it.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { screenshotDir } from '../lib/screenshots.mjs';
import { withWidget, ring, theyWrite, serverSession, timesAtServer, eventually, sleep } from './widget.mjs';

export default {
  name: 'core: list, open, send once, live incoming, capability removal, case data, complete',
  timeoutMs: 120_000,
  browsers: ['chromium', 'firefox', 'webkit'],
  async run(browser) {
    await withWidget(
      browser,
      async ({ sim, page, widget }) => {
        const ringing = widget.row('3005');
        await ringing.waitVisible();
        assert.match(await ringing.textContent(), /Ringing/, 'the session that rang before the page opened');
        const { id } = await ring(sim, '3003');
        await widget.row('3003').withText('Ringing').waitVisible();
        if (browser.name === 'firefox') await widget.region.screenshot(join(screenshotDir, `${browser.name}-list.png`));

        await theyWrite(sim, id, 'Can you take a look at case 42?');
        await widget.row('3003').withText('1 unread').waitVisible();
        await widget.openSession('3003');
        await widget.lines('incoming', 'Can you take a look at case 42?').waitVisible();

        const reply = 'On it, give me a minute.';
        await widget.send(reply);
        await widget.lines('outgoing', reply).withText('Sent').waitVisible();
        await eventually(async () => (await timesAtServer(sim, id, reply)) >= 1, { what: 'the reply at the server' });
        await widget.row('3003').withText('Talking').waitVisible();
        await sleep(500); // room for a wrongly shown echo to arrive
        assert.equal(await timesAtServer(sim, id, reply), 1, 'the server has the reply once');
        assert.equal(await widget.lines('outgoing', reply).count(), 1, 'shown once as the agent’s');
        assert.equal(await widget.transcript.text(reply).count(), 1, 'the echo is not shown as a second line');
        assert.equal(await widget.composer.inputValue(), '', 'the composer is cleared');

        await theyWrite(sim, id, 'Thanks!');
        await widget.lines('incoming', 'Thanks!').waitVisible();
        assert.equal(await widget.lines('incoming', 'Thanks!').count(), 1, 'their message once');

        // Capabilities drive the controls live.
        const end = widget.chat('3003').role('button', 'End session');
        assert.notEqual(await end.attribute('aria-disabled'), 'true', 'End session enabled while Complete is offered');
        await sim.control('PUT', `/sessions/${id}/capabilities`, { capabilities: ['SendMessage', 'AttachUserData', 'UpdateUserData', 'DeleteUserData'] });
        await eventually(async () => (await end.attribute('aria-disabled')) === 'true', { what: 'End session disabled without Complete' });
        await sim.control('PUT', `/sessions/${id}/capabilities`, {
          capabilities: ['SendMessage', 'Complete', 'AttachUserData', 'UpdateUserData', 'DeleteUserData'],
        });
        await eventually(async () => (await end.attribute('aria-disabled')) !== 'true', { what: 'End session enabled again' });

        // Case data: add, change, remove, each reaching the server's copy; a change from elsewhere shows.
        await widget.caseData.text('No case data').waitVisible();
        const data = await widget.editCaseData();
        await data.role('textbox', 'New key').fill('bestNumber');
        await data.role('textbox', 'New value').fill('3');
        await data.role('button', 'Add').click();
        await data.role('textbox', 'Value of bestNumber').waitVisible();
        await eventually(async () => (await serverSession(sim, id)).userData?.bestNumber === '3', { what: 'AttachUserData at the server' });
        await data.role('textbox', 'Value of bestNumber').fill('5');
        await data.role('button', 'Save bestNumber').click();
        await eventually(async () => (await serverSession(sim, id)).userData?.bestNumber === '5', { what: 'UpdateUserData at the server' });
        await sim.control('POST', `/sessions/${id}/user-data`, { userData: { note: 'VIP customer' } });
        await data.role('textbox', 'Value of note').waitVisible();
        assert.equal(await data.role('textbox', 'Value of note').inputValue(), 'VIP customer');
        await data.role('button', 'Remove bestNumber').click();
        await eventually(async () => !('bestNumber' in ((await serverSession(sim, id)).userData ?? {})), { what: 'DeleteUserData at the server' });
        await data.role('textbox', 'Value of bestNumber').waitHidden();
        assert.deepEqual((await serverSession(sim, id)).userData, { note: 'VIP customer' }, "the server's copy");
        if (browser.name === 'firefox') await page.screenshot(join(screenshotDir, `${browser.name}-chat.png`));

        // Complete.
        await end.click();
        const confirm = widget.region.role('dialog', 'End this session?');
        await confirm.role('button', 'End session').click();
        await widget.row('3003').withText('Completed').waitVisible();
        assert.equal((await serverSession(sim, id)).state.trim(), 'Completed', 'completed at the server');
        assert.equal(await widget.lines('incoming', 'Thanks!').count(), 1, 'the transcript stays readable');
      },
      { beforeOpen: (sim) => ring(sim, '3005') },
    );
  },
};
