import { Show } from 'solid-js';
import { createAdmin } from '../status/admin.js';
import { CompletenessCard } from '../status/CompletenessCard.js';
import { ConnectSection } from '../status/ConnectSection.js';
import { HealthCard } from '../status/HealthCard.js';
import { HookHealthCard } from '../status/HookHealthCard.js';
import { IngestCard } from '../status/IngestCard.js';
import { ProjectionsCard } from '../status/ProjectionsCard.js';
import { createStatusData, REFRESH_SECONDS } from '../status/status-data.js';
import '../status/status.css';

/** `/status`: health, ingest over the last hour, projections (with Retry and Rebuild for admins), hooks by host and capture completeness. */
export function StatusPage(_props: { params: Record<string, string> }) {
  const data = createStatusData();
  const admin = createAdmin();
  return (
    <div class="status-page">
      <HealthCard part={data.health} checkedAt={data.checkedAt()} refreshSeconds={REFRESH_SECONDS} />
      <IngestCard part={data.ingest} />
      <ProjectionsCard projections={data.projections} parked={data.parked} admin={admin} onChanged={data.refresh} />
      <HookHealthCard part={data.hooks} />
      <CompletenessCard refreshSeconds={REFRESH_SECONDS} />
      <Show when={data.hooks.value()?.length === 0}>
        <ConnectSection />
      </Show>
    </div>
  );
}
