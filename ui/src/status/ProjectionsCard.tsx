import { For, Show } from 'solid-js';
import { ADMIN_HINT_ID, type Admin } from './admin.js';
import type { ParkedEvent, Projection } from './status-api.js';
import type { Part } from './status-data.js';
import { ProjectionRow } from './ProjectionRow.js';

export interface ProjectionsCardProps {
  projections: Part<Projection[]>;
  parked: Part<Record<string, ParkedEvent[]>>;
  admin: Admin;
  onChanged: () => void;
}

// Those needing attention come first: parked events, a status other than running, a long lag.
const trouble = (p: Projection) => (p.parked > 0 || p.status !== 'running' || p.lag > 1000 ? 0 : 1);
const byTrouble = (list: Projection[]) => [...list].sort((a, b) => trouble(a) - trouble(b) || a.name.localeCompare(b.name));

export function ProjectionsCard(props: ProjectionsCardProps) {
  return (
    <section class="card" aria-labelledby="projections-title">
      <div class="card-head">
        <h2 id="projections-title">Projections</h2>
        <span class="muted small">Retry and Rebuild need an admin login</span>
      </div>
      <Show when={props.admin.readOnly()}>
        <p id={ADMIN_HINT_ID} class="problem" role="alert">
          You are signed in with the read key, which cannot retry or rebuild. Sign out and sign in with the admin key to use these buttons.
        </p>
      </Show>
      <Show when={props.projections.problem()}>{(problem) => <p class="problem">Could not load projections: {problem()}</p>}</Show>
      <Show when={props.parked.problem()}>{(problem) => <p class="problem">Could not load parked events: {problem()}</p>}</Show>
      <Show when={props.projections.value()} fallback={<Show when={!props.projections.problem()}><p class="muted">Loading…</p></Show>}>
        {(projections) => (
          <Show when={projections().length > 0} fallback={<p class="muted">No projector has registered a projection yet.</p>}>
            <ul class="projections">
              <For each={byTrouble(projections())}>
                {(projection) => (
                  <ProjectionRow projection={projection} parked={props.parked.value()?.[projection.name] ?? []} admin={props.admin} onChanged={props.onChanged} />
                )}
              </For>
            </ul>
          </Show>
        )}
      </Show>
    </section>
  );
}
