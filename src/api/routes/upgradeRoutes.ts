import { z } from 'zod';
import { GatewayError } from '../../../contracts/errors/index.js';
import type { DevicePort } from '../../devices/DevicePort.js';
import type { BackupGateFor } from '../../services/common/BackupGate.js';
import { planInstall } from '../../services/upgrade/planInstall.js';
import { availablePaths, UPGRADE_JOB_KIND, upgradeRun, upgradeStages, type UpgradeDeps } from '../../services/upgrade/runUpgrade.js';
import type { UpgradeTransfers } from '../../services/upgrade/UpgradeTransfer.js';
import { upgradeRequestSchema, type UpgradeRequest } from '../../services/upgrade/upgradeRequest.js';
import type { UpgradePackages } from '../../services/upgrade/UpgradePackages.js';
import type { PastRecord } from '../../services/common/PastRecord.js';
import type { ApiPlugin } from '../ApiContext.js';
import { defineRoute } from '../defineRoute.js';
import { jobViewSchema } from '../jobView.js';
import { startDeviceJob } from '../startDeviceJob.js';
import { deviceIdParams } from './deviceRoutes.js';

export interface UpgradeRoutesDeps {
  readonly registers: DevicePort;
  readonly packages: UpgradePackages;
  /** The backup area's gate (its wiring implements the port; the upgrade never imports the backup service). */
  readonly backupGate: BackupGateFor;
  /** The upgrade paths this gateway does (default: serial only). */
  readonly transfers?: UpgradeTransfers;
}

/** Which register an upgrade job changes, and this gateway's earlier records of it (a backup older than a change is stale). */
export interface UpgradeTarget {
  readonly deviceId: string;
  readonly backupKey: string;
  readonly history: () => readonly PastRecord[];
}

/** The run of an upgrade job: as the route starts it, and as its reconcile resumes it. */
export function upgradeJobRun({ registers, packages, backupGate, transfers }: UpgradeRoutesDeps, target: UpgradeTarget, request: UpgradeRequest) {
  const deps: UpgradeDeps = {
    packages, devices: registers, ...(transfers === undefined ? {} : { transfers }),
    backupGate: (ctx) => backupGate({ deviceId: target.deviceId, backupKey: target.backupKey, history: target.history() }, ctx),
  };
  return upgradeRun(deps, request);
}

/** Firmware upgrade: `POST /v1/devices/{id}/upgrade`, a job on the device engine (serial path, trial boot, automatic revert). */
export function upgradeRoutes(deps: UpgradeRoutesDeps): ApiPlugin {
  return {
    name: 'upgrade',
    register(app, context) {
      const { catalog, devices } = context;
      defineRoute(app, catalog, {
        method: 'POST', url: '/devices/:id/upgrade', tags: ['upgrade'], params: deviceIdParams,
        summary: 'Installs a kept firmware package over the serial line: package verified again, version gate, a verified backup first; written resumably, digest checked, booted on trial and confirmed only after version, digest and self-checks agree (else the register reverts and the job says why)',
        body: upgradeRequestSchema,
        headers: [{ name: 'Idempotency-Key', description: 'Repeat-safe: the same key returns the same job' }],
        responses: {
          202: { description: 'Job started', schema: z.object({ job: jobViewSchema }) },
          200: { description: 'Same Idempotency-Key: the earlier job', schema: z.object({ job: jobViewSchema }) },
          409: { description: 'Device busy (with the running job\'s id) or offline' },
          422: { description: 'Refused before anything was sent: package (FWPKG_*), version gate or path (UPGRADE_*)' },
        },
        handler: async ({ params, body, operator, request, reply }) => {
          const snapshot = devices.get(params.id);
          const machineNumber = snapshot?.identity?.machineNumber;
          return startDeviceJob(context, { request, reply, operator, deviceId: params.id, body }, {
            kind: UPGRADE_JOB_KIND, stages: upgradeStages, params: body, bootloaderToo: true,
            // Refused at once (422) when the package or the version gate says no, from what the register last said of itself.
            check: async () => {
              const pkg = await deps.packages.forUse(body.package);
              const identity = snapshot?.identity;
              if (identity === undefined) throw new GatewayError('DEVICE_OFFLINE', { params: { id: params.id } });
              planInstall(pkg.manifest, identity, body, availablePaths(deps.transfers));
            },
            run: upgradeJobRun(deps, {
              deviceId: params.id, backupKey: machineNumber ?? params.id,
              history: () => context.store.records.list({ device: machineNumber ?? params.id }),
            }, body),
          });
        },
      });
    },
  };
}
