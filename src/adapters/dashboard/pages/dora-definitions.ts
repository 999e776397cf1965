import { html } from "../html.js";

/** The definitions, on the page next to the numbers (docs/dashboard.md says the same). */
export const DORA_DEFINITIONS = html`<dl class="definitions">
  <dt>Deployment frequency</dt>
  <dd>Succeeded deploys per day over the period (rollbacks are deploys too). The number in brackets is the count.</dd>
  <dt>Lead time for changes</dt>
  <dd>From a pull request's merge into the default branch to the first time a succeeded deploy put it live in that environment: the
    deploy's change set lists it, or it is the merge that started the deploy. Median and 90th percentile (nearest rank: always one
    of the measured values, so with few changes p90 is the slowest). Only merges Whistlestop saw arrive (the merge webhook) are measured.</dd>
  <dt>Change failure rate</dt>
  <dd>Change failures over every deploy that ended (succeeded or failed) in the period. A change failure is a deploy that failed
    after its deploy stage (<code>deploy_stage</code>) started, or a deploy rolled back within 24 hours of going live. A failure
    before the deploy stage (a failed bake) changed nothing where it runs, so it is a deploy but not a failure. Cancelled deploys are left out.</dd>
  <dt>Time to restore</dt>
  <dd>From a change failure to the next succeeded deploy of the same service and environment that is not a failure itself;
    failures in between belong to the same incident. Median over failures that started in the period; failures not yet restored are counted as open.</dd>
</dl>`;
