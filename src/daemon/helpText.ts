import { DEFAULT_LISTEN } from './paths.js';

/** `fiscald --help`: every option with its config-file key and environment variable. */
export const daemonHelp = `fiscald — local gateway daemon for GB18240 fiscal cash registers and their IC cards

Usage: fiscald [options]

Options (config-file key / environment variable):
  --config FILE                 JSON config file                               FISCALD_CONFIG
  --listen HOST:PORT            address of the HTTP API (default ${DEFAULT_LISTEN})
                                                        listen / FISCALD_LISTEN
  --allow-remote                permit a non-loopback --listen address; without it fiscald
                                refuses to start on one  allowRemote / FISCALD_ALLOW_REMOTE
  --allow-host NAME             extra Host name accepted with --allow-remote (repeatable)
                                                        allowedHosts / FISCALD_ALLOWED_HOSTS (comma list)
  --data-dir DIR                database, token, backups (default /var/lib/fiscal-gateway as root,
                                else ~/.local/share/fiscal-gateway)   dataDir / FISCALD_DATA_DIR
  --trusted-keys DIR            public keys trusted for firmware packages (default <data-dir>/trusted-keys)
                                                        trustedKeys / FISCALD_TRUSTED_KEYS
  --cors-origin ORIGIN          browser origin allowed to call the API (repeatable)
                                                        corsOrigins / FISCALD_CORS_ORIGINS (comma list)
  --allow RULE                  device allow-list entry: VVVV:PPPP, serial:|usb:|hid:VVVV:PPPP, or a
                                path or glob (repeatable; default /dev/fiscal/* and the supported ids)
                                                        devices.allow / FISCALD_DEVICES_ALLOW (comma list)
  --simulate[=N]                run N simulated registers with virtual cards instead of hardware
                                (default N = 2; the first is new, the others carry a year of history,
                                from the third on also just declared and paid: ready for a
                                monitoring-data change),
                                and two simulated card readers (a spare user card, an inspection card),
                                a USB stick (<data-dir>/simulator/stick/volume) and the technician who
                                carries it to a register when an upgrade asks;
                                all kept in <data-dir>/simulator from one start to the next
                                                        simulate / FISCALD_SIMULATE
  --simulator-timing JSON       timing of the simulated registers, e.g. {"selfCheckMs":1000}
                                (turnaroundMs, flashWriteMs, initializeMs, selfCheckMs, rebootMs…;
                                stickMoveMs: the technician's walk with the stick, stickTrialSeconds,
                                stickReadOnly: its write-protect switch on)
                                                        simulatorTiming / FISCALD_SIMULATOR_TIMING
  --simulator-profile P         firmware of the simulated registers: full (default), public (no 70–7F,
                                no 3C), no-XX (without command XX, hex), max-message=N; joined with +
                                                        simulatorProfile / FISCALD_SIMULATOR_PROFILE
  --register-utc-offset Z       the zone of the registers' clocks, which GB link carries without one
                                (default +08:00, China Standard Time; e.g. +07:00, Z)
                                                        registerUtcOffset / FISCALD_REGISTER_UTC_OFFSET
  --retention-years N           keep service records N years (at least 5, the legal minimum)
                                                        retention.recordYears / FISCALD_RETENTION_YEARS
  --backup-max-age-hours H      oldest verified backup an upgrade, repair or deregistration
                                may rely on before it makes a new one (default 1)
                                                        backupMaxAgeHours / FISCALD_BACKUP_MAX_AGE_HOURS
  --shutdown-grace-seconds S    on SIGTERM/SIGINT/SIGHUP, wait this long for a firmware or card write to end
                                (default 120); if it has not, fiscald refuses to stop and keeps running
                                                        shutdownGraceSeconds / FISCALD_SHUTDOWN_GRACE_SECONDS
  --repository URL              vendor repository of firmware packages with signed metadata: https://…/
                                or a folder (protocols/fwrepo/SPEC.md)   repository.url / FISCALD_REPOSITORY
  --repository-ca FILE          CA bundle (PEM) for the repository's HTTPS certificate
                                                        repository.ca / FISCALD_REPOSITORY_CA
  --repository-root FILE        the vendor's root.json, trusted first; later roots are followed by
                                rotation and kept in <data-dir>/repository   repository.root / FISCALD_REPOSITORY_ROOT
  (config file / environment only)  connections the API serves at once (default 128) and job event
                                streams among them (default 32); one more is 503 with Retry-After
                                limits.connections / FISCALD_MAX_CONNECTIONS, limits.eventStreams / FISCALD_MAX_EVENT_STREAMS
  --log-level LEVEL             fatal|error|warn|info|debug|trace|silent  logLevel / FISCALD_LOG_LEVEL
  --version                     print the version
  -h, --help                    this text

Precedence: flags > environment > config file > defaults.
At first start fiscald creates the data dir (mode 0750) and the API token <data-dir>/token (mode 0640), so
members of the service's group (fiscal) can run fiscalctl; everything else under it is the owner's alone (0700/0600).
Every request but GET /v1/health must carry the token as "Authorization: Bearer <token>".
The web console is at / of the listen address (http://127.0.0.1:18240/); it asks for that token once per tab.
Logs are JSON lines (pino) on stdout; PINs, MACs, keys and tokens are redacted.
The listen address is bound before any register is opened; exit status 4 (LISTEN_ADDRESS_IN_USE) when
another program holds it, 2 for a usage or configuration error, 1 for any other failure.
`;
