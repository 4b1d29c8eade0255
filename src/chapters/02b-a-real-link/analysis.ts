// Chapter 2b's analysis: every path through every link, measured, beside the model's time (the slower of the
// link and the path's CPU ceiling, measured through the unshaped link in the same run); CPU per GiB per side and
// machine-wide; the fraction of a core each path needs to fill a link, and a broker's cores at Ethernet's rates.
import { netMachineCpu, NetMachineCpu } from "../../experiments/machine-cpu-net";
import { runTransferOverLinks, LinkTransferProgress } from "../../experiments/link-transfer";
import type { TransferResult, TransferRun } from "../../experiments/transfer-records";
import { readCpuAccounting, CpuAccounting } from "../../experiments/cpu-accounting";
import { missingForLink } from "../../link/preconditions";
import { linkBoundTime, crossoverRate, coresToFill, LinkBoundTime } from "../../model/link-bound";
import { median } from "../../statistics/spread";
import { requireInteger } from "../../units/arguments";
import { formatRate, linkSeconds, LinkRate } from "../../units/rates";
import { GiB } from "../../units/sizes";
import { TRANSFER_PATHS, TransferPath } from "../../vocabulary/transfer";
import { BROKER_RATES, RealLinkPlan } from "./plan";
import type { MachineProfile } from "../../calibration/profile-record";
import { profileLabel } from "../../calibration/profile-source";
import { predictTransfer } from "../../model/cost/transfer";

/** A run no slower than this times bytes / rate filled the link; a slower one was held back by the CPU. */
export const LINK_BOUND_SLOWDOWN = 1.15;

/** What the chapter measured: one TransferResult per link, the shaped ones in the plan's order, then unshaped;
 *  and how the kernel it ran on charges softirq time (it decides whose CPU the receive path shows up in). */
export interface RealLinkStudy {
  results: TransferResult[];
  accounting: CpuAccounting;
  /** The machine profile whose prediction of the CPU ceiling is drawn beside the measured one (chapter 7). */
  profile?: MachineProfile;
}

/** One line saying what the machine lacks for this chapter (root, ip, tc), or undefined when it has it all. */
export function linkUnavailable(): string | undefined {
  const missing = missingForLink();
  if (missing.length === 0) return undefined;
  return `This chapter needs ${missing.join(" and ")} to make its links (network namespaces shaped with tc); run it as root (sudo) with iproute2 installed. Nothing was measured.`;
}

/** Runs every path through every link of the plan and an unshaped one, runs interleaved across links and paths. */
export async function runRealLinkStudy(plan: RealLinkPlan, onProgress: (fraction: number, label: string) => void = () => undefined, profile?: MachineProfile): Promise<RealLinkStudy> {
  requireInteger("runs", plan.runs, 1, 100);
  if (!Array.isArray(plan.rates) || plan.rates.length === 0) throw new RangeError("rates must be a non-empty list of link rates in bit/s");
  const results = await runTransferOverLinks({
    links: [...plan.rates, null],
    paths: TRANSFER_PATHS,
    bytes: plan.bytes,
    runs: plan.runs,
    warmup: plan.warmup,
    chunk: plan.chunk,
    cache: "warm",
    backgroundWindowMs: plan.backgroundWindowMs,
    onProgress: (p: LinkTransferProgress) => onProgress(p.done / p.total, `${formatRate(p.link)} ${p.path}`),
  });
  return { results, accounting: readCpuAccounting(), profile };
}

/** Machine-wide CPU of a group of runs, net of the background (machine-cpu-net.ts says how, and how far off). */
export type MachineCpu = NetMachineCpu;

/** Machine-wide CPU of `runs` on a machine of `cpus` CPUs; undefined when the runs did not record it. The squeeze
 *  is bounded by both sides' CPU, the receiver's included. */
export function machineCpu(runs: readonly TransferRun[], cpus: number): MachineCpu | undefined {
  if (runs.some((r) => r.machineBusyMs === undefined)) return undefined;
  const samples = runs.map((r) => ({
    wallSeconds: r.wallSeconds,
    bytes: r.bytes,
    busyMs: r.machineBusyMs!,
    windowMs: r.backgroundWindowMs ?? 0,
    beforeBusyMs: r.backgroundBeforeBusyMs ?? 0,
    afterBusyMs: r.backgroundAfterBusyMs ?? 0,
    ownCpuMs: r.userCpuMs + r.systemCpuMs + (r.receiverCpuMs ?? 0),
  }));
  return netMachineCpu(samples, cpus);
}

/** One path through one link: measured medians, per-GiB CPU by side, and the model's time beside them. */
export interface LinkRow {
  path: TransferPath;
  /** bit/s, or null for the unshaped link. */
  rate: LinkRate;
  bytes: number;
  runs: number;
  medianSeconds: number;
  minSeconds: number;
  maxSeconds: number;
  /** bytes * 8 / rate: the link alone; null unshaped. */
  linkSeconds: number | null;
  /** median wall / link time; null unshaped. */
  slowdown: number | null;
  /** The link set the pace (slowdown <= LINK_BOUND_SLOWDOWN); false unshaped. */
  filledLink: boolean;
  /** bytes * 8 / median wall, bit/s. */
  throughput: number;
  /** Median over runs of the sender's user + system CPU, per GiB, seconds. */
  senderCpuPerGiB: number;
  /** Median over runs of the receiver process's CPU, per GiB, seconds. */
  receiverCpuPerGiB: number;
  /** Every CPU's busy time during the sends, net of the background (undefined for records without it). */
  machine?: MachineCpu;
  /** Median over runs of CPU / wall: the fraction of a core each side kept busy while the bytes moved. */
  senderCores: number;
  receiverCores: number;
  /** The model: the slower of this link and the path's CPU ceiling measured unshaped. */
  model: LinkBoundTime;
}

/** The unshaped control among the results. */
export function unshapedResult(study: RealLinkStudy): TransferResult {
  const found = study.results.find((r) => r.conditions.link?.rateBitsPerSecond === null);
  if (!found) throw new RangeError("the study has no unshaped link: its CPU ceilings come from it");
  return found;
}

/** The shaped results, slowest link first. */
export function shapedResults(study: RealLinkStudy): TransferResult[] {
  return study.results.filter((r) => typeof r.conditions.link?.rateBitsPerSecond === "number").sort((a, b) => a.conditions.link!.rateBitsPerSecond! - b.conditions.link!.rateBitsPerSecond!);
}

/** Where the model's CPU-bound time of each path comes from: the model's one input besides the link. */
export interface CpuBound {
  /** What the figures and claims call it. */
  label: string;
  /** Seconds the path's pipeline needs for the study's file with no link in the way. */
  seconds(path: TransferPath): number;
}

/** The CPU-bound time measured through the unshaped link of the same study: the median wall time per path.
 *  A calibrated cost model can take its place (analyzeRealLink's second argument). */
export function measuredUnshaped(study: RealLinkStudy): CpuBound {
  const control = unshapedResult(study);
  return {
    label: "CPU ceiling measured unshaped",
    seconds(path) {
      const walls = control.runs.filter((r) => r.path === path).map((r) => r.wallSeconds);
      if (walls.length === 0) throw new RangeError(`the unshaped link has no ${path} runs`);
      return median(walls);
    },
  };
}

/** The CPU-bound time the cost model predicts from the machine profile: the transfer with no link in the way, on
 *  two free cores (src/model/cost/transfer.ts), at the study's size and chunk. */
export function profileCpuBound(study: RealLinkStudy, profile: MachineProfile): CpuBound {
  const control = unshapedResult(study);
  return {
    label: "CPU ceiling the cost model predicts from this machine's profile",
    seconds: (path) => predictTransfer(profile.parameters, path, control.conditions.bytes, { chunk: control.conditions.chunk }).wallSeconds,
  };
}

/** Rows for every path (in TRANSFER_PATHS order) through every link (slowest first, unshaped last). */
export function linkRows(study: RealLinkStudy, cpuBound: CpuBound = measuredUnshaped(study)): LinkRow[] {
  const ordered = [...shapedResults(study), unshapedResult(study)];
  const rows: LinkRow[] = [];
  for (const path of TRANSFER_PATHS) {
    for (const result of ordered) {
      const runs = result.runs.filter((r) => r.path === path);
      if (runs.length === 0) continue;
      const rate = result.conditions.link!.rateBitsPerSecond;
      const bytes = result.conditions.bytes;
      const wall = runs.map((r) => r.wallSeconds);
      const med = median(wall);
      const senderCpu = runs.map((r) => (r.userCpuMs + r.systemCpuMs) / 1000);
      const receiverCpu = runs.map((r) => (r.receiverCpuMs ?? Number.NaN) / 1000);
      const wire = rate === null ? null : linkSeconds(bytes, rate);
      const slowdown = wire === null ? null : med / wire;
      rows.push({
        path,
        rate,
        bytes,
        runs: runs.length,
        medianSeconds: med,
        minSeconds: Math.min(...wall),
        maxSeconds: Math.max(...wall),
        linkSeconds: wire,
        slowdown,
        filledLink: slowdown !== null && slowdown <= LINK_BOUND_SLOWDOWN,
        throughput: (bytes * 8) / med,
        senderCpuPerGiB: (median(senderCpu) * GiB) / bytes,
        receiverCpuPerGiB: (median(receiverCpu) * GiB) / bytes,
        machine: machineCpu(runs, result.conditions.cpuCount),
        senderCores: median(runs.map((r) => (r.userCpuMs + r.systemCpuMs) / 1000 / r.wallSeconds)),
        receiverCores: median(runs.map((r) => (r.receiverCpuMs ?? Number.NaN) / 1000 / r.wallSeconds)),
        model: linkBoundTime(bytes, rate, cpuBound.seconds(path)),
      });
    }
  }
  return rows;
}

/** Where a path's time stops following the link, by the model and by the machine. */
export interface Crossover {
  path: TransferPath;
  /** The model's: the rate at which bytes / rate equals the CPU ceiling measured unshaped (bit/s). */
  model: number;
  /** The machine's: the fastest the path got through a link it could not fill (bit/s); undefined when it filled
   *  every shaped link, and then `atLeast` is the fastest it went. */
  measured?: number;
  atLeast?: number;
  /** The fastest link it filled and the slowest it could not, when both exist (bit/s). */
  lastFilled?: number;
  firstNotFilled?: number;
}

/** The model's and the measured crossover of every path. */
export function crossovers(study: RealLinkStudy, cpuBound: CpuBound = measuredUnshaped(study), rows: LinkRow[] = linkRows(study, cpuBound)): Crossover[] {
  return TRANSFER_PATHS.filter((path) => rows.some((r) => r.path === path)).map((path) => {
    const shaped = rows.filter((r) => r.path === path && r.rate !== null);
    const held = shaped.filter((r) => !r.filledLink);
    const filled = shaped.filter((r) => r.filledLink);
    const bytes = shaped[0]?.bytes ?? unshapedResult(study).conditions.bytes;
    const crossover: Crossover = { path, model: crossoverRate(bytes, cpuBound.seconds(path)) };
    if (held.length > 0) crossover.measured = Math.max(...held.map((r) => r.throughput));
    else crossover.atLeast = Math.max(...shaped.map((r) => r.throughput));
    if (filled.length > 0) crossover.lastFilled = Math.max(...filled.map((r) => r.rate!));
    if (held.length > 0) crossover.firstNotFilled = Math.min(...held.map((r) => r.rate!));
    return crossover;
  });
}

/** A broker's cores for one path at one link rate, from the sender's CPU per byte. */
export interface BrokerCores {
  path: TransferPath;
  rate: number;
  /** From the sender's CPU per byte through the slowest shaped link: the receive path runs off the sender there. */
  cores: number;
  /** From the sender's CPU per byte unshaped: its sender then also runs loopback's receive path. */
  coresUnshaped: number;
  /** Consumers one core can serve if each reads at `rate`: 1 / cores. */
  consumersPerCore: number;
}

/** Cores a broker needs to fill a link at each of `rates`, per path. */
export function brokerCores(rows: LinkRow[], rates: readonly number[] = BROKER_RATES): BrokerCores[] {
  const out: BrokerCores[] = [];
  for (const path of TRANSFER_PATHS) {
    const mine = rows.filter((r) => r.path === path);
    const slowest = mine.filter((r) => r.rate !== null).sort((a, b) => a.rate! - b.rate!)[0];
    const unshaped = mine.find((r) => r.rate === null);
    if (!slowest || !unshaped) continue;
    for (const rate of rates) {
      const cores = coresToFill(slowest.senderCpuPerGiB / GiB, rate);
      out.push({ path, rate, cores, coresUnshaped: coresToFill(unshaped.senderCpuPerGiB / GiB, rate), consumersPerCore: 1 / cores });
    }
  }
  return out;
}

/** One point of the model's line: a path's modelled time at a link rate. */
export interface ModelPoint {
  path: TransferPath;
  rate: number;
  seconds: number;
}

/** The model's time per path on a log grid of rates spanning the study's links (and the crossovers), for the figure. */
export function modelCurve(study: RealLinkStudy, cpuBound: CpuBound = measuredUnshaped(study), points = 60): ModelPoint[] {
  const rates = shapedResults(study).map((r) => r.conditions.link!.rateBitsPerSecond!);
  const bytes = unshapedResult(study).conditions.bytes;
  const ceilings = TRANSFER_PATHS.filter((p) => unshapedResult(study).runs.some((r) => r.path === p));
  const lo = Math.min(...rates) / 2;
  const hi = Math.max(...rates, ...ceilings.map((p) => crossoverRate(bytes, cpuBound.seconds(p)))) * 2;
  const grid = Array.from({ length: points }, (_, i) => lo * (hi / lo) ** (i / (points - 1)));
  return ceilings.flatMap((path) => grid.map((rate) => ({ path, rate, seconds: linkBoundTime(bytes, rate, cpuBound.seconds(path)).seconds })));
}

/** Everything chapter 2b draws and checks, computed once from a study; the figures only draw it. */
export interface RealLinkAnalysis {
  bytes: number;
  cpus: number;
  /** Shaped rates, slowest first (bit/s). */
  rates: number[];
  rows: LinkRow[];
  crossovers: Crossover[];
  cores: BrokerCores[];
  modelCurve: ModelPoint[];
  /** Where the model's CPU-bound times came from ("CPU ceiling measured unshaped"). */
  modelInput: string;
  /** The same model with the cost model's CPU ceilings from the machine profile, when the study has one. */
  profileCurve?: ModelPoint[];
  profileInput?: string;
  /** The profile's CPU ceiling per path beside the measured one, seconds. */
  ceilings?: { path: TransferPath; measured: number; profile: number }[];
  /** Packets the shaped links' qdiscs dropped, summed (TCP retransmits them; a good shape has none). */
  drops: number;
}

/** Analyses a study: the model beside every measured row, its CPU-bound times from `cpuBound`. */
export function analyzeRealLink(study: RealLinkStudy, cpuBound: CpuBound = measuredUnshaped(study)): RealLinkAnalysis {
  const rows = linkRows(study, cpuBound);
  const control = unshapedResult(study);
  const fromProfile = study.profile ? profileCpuBound(study, study.profile) : undefined;
  const measured = measuredUnshaped(study);
  const paths = TRANSFER_PATHS.filter((p) => control.runs.some((r) => r.path === p));
  return {
    ...(fromProfile
      ? {
          profileCurve: modelCurve(study, fromProfile),
          profileInput: `CPU ceiling the cost model predicts from ${profileLabel(study.profile!).replace(/^model, /, "")}`,
          ceilings: paths.map((path) => ({ path, measured: measured.seconds(path), profile: fromProfile.seconds(path) })),
        }
      : {}),
    bytes: control.conditions.bytes,
    cpus: control.conditions.cpuCount,
    rates: shapedResults(study).map((r) => r.conditions.link!.rateBitsPerSecond!),
    rows,
    crossovers: crossovers(study, cpuBound, rows),
    cores: brokerCores(rows),
    modelCurve: modelCurve(study, cpuBound),
    modelInput: cpuBound.label,
    drops: shapedResults(study).reduce((sum, r) => sum + (r.conditions.link?.qdiscStats?.drops ?? 0), 0),
  };
}
