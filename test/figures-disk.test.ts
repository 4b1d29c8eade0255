// Chapter 4 figures from model runs and a hand-made disk result: conventions (title, legend, units, model
// hatched/dashed vs measured solid) and the numbers they plot.
import { profileFixture } from "./support/profile-fixture";
import { describe, it, expect } from "vitest";
import { profileThroughputFigure, randomReadBreakdownFigure, requestSizeFigure, kafkaArrayFigure, machineDiskFigure, diskColor } from "../src/chapters/04-sequential-vs-random/figures";
import {
  profileThroughputs, randomReadBreakdown, requestSizeCurves, raid5Estimate, machineDiskProfile, predictBufferedReads,
  directReadPair, directRandomPoints, REQUEST_SIZES,
} from "../src/chapters/04-sequential-vs-random/analysis";
import { DISK_NAMES } from "../src/model/disk";
import { expectWellFormed, tracesNamed } from "./figure-checks";
import { diskResultFixture, NO_SEEK_RATES } from "./disk-result-fixture";
import { MiB } from "../src/units/sizes";

const measured = diskResultFixture(NO_SEEK_RATES);
const machine = machineDiskProfile(profileFixture());
const profiles = [...DISK_NAMES, machine.profile];

describe("chapter 4 figures", () => {
  it("profiles: sequential and random bars per disk, the ratio above each, the machine's measurement solid", () => {
    const rows = profileThroughputs(profiles);
    const figure = profileThroughputFigure(rows, directReadPair(measured));
    expectWellFormed(figure, ["yaxis"]);
    expect((figure.layout as any).yaxis.type).toBe("log");
    expect((figure.layout as any).annotations.map((a: any) => a.x)).toEqual(["hdd", "sata-ssd", "nvme", "this machine"]);
    expect(tracesNamed(figure, "(model)")[0].y).toEqual(rows.map((r) => r.sequentialBytesPerSecond / MiB));
    expect(tracesNamed(figure, "measured").map((t) => t.y[0])).toEqual([1000, 48]);
    expect(profileThroughputFigure(rows).data).toHaveLength(2); // without a measurement: model only
  });

  it("breakdown: stacked components per profile, in ms, adding up to the total", () => {
    const rows = randomReadBreakdown(profiles, 100);
    const figure = randomReadBreakdownFigure(rows);
    expectWellFormed(figure, ["xaxis"]);
    const bars = figure.data.filter((t) => t.type === "bar") as any[];
    rows.forEach((r, i) => expect(bars.reduce((s, b) => s + b.x[i], 0)).toBeCloseTo(r.totalSeconds * 1000, 9));
  });

  it("request size: one dashed curve per profile plus its transfer-rate ceiling, and the machine's points", () => {
    const figure = requestSizeFigure(requestSizeCurves(profiles), directRandomPoints(measured));
    expectWellFormed(figure, ["xaxis", "yaxis"]);
    const curves = figure.data.filter((t) => String(t.name).endsWith(": random (model)")) as any[];
    expect(curves).toHaveLength(4);
    for (const c of curves) {
      expect(c.x).toEqual(REQUEST_SIZES.map((s) => s / 1024));
      expect(c.line.color).toBe(diskColor(c.name.split(":")[0]));
    }
    expect(tracesNamed(figure, "(measured)")[0].y).toEqual([48, 950]);
  });

  it("Kafka's array: the quoted numbers beside both model variants, ratios in the legend", () => {
    const estimate = raid5Estimate();
    const figure = kafkaArrayFigure(estimate);
    expectWellFormed(figure, ["yaxis"]);
    expect(figure.data.map((t) => t.name)).toEqual([
      "Kafka design doc (quoted) (linear / random 6,000x)",
      `model: one small write at a time (linear / random ${Math.round(estimate.ratioQd1).toLocaleString("en-US")}x)`,
      `model: all six disks busy (linear / random ${Math.round(estimate.ratioBusy).toLocaleString("en-US")}x)`,
    ]);
    expect((figure.data[0] as any).y).toEqual([600, 0.1]); // MB/s
    expect((figure.data[0] as any).x[1]).toBe("random 4 KiB writes");
  });

  it("this machine: sequential vs random per operation, with the model of this disk (from the profile) beside buffered reads", () => {
    const prediction = predictBufferedReads(machine.profile, 4 * MiB);
    const figure = machineDiskFigure(measured, prediction);
    expectWellFormed(figure, ["yaxis"]);
    const [seq, rnd] = tracesNamed(figure, "(measured)");
    // tick labels break where a long one would run into its neighbour
    expect(seq.x).toEqual(["read, buffered<br>(cold cache)", "read,<br>O_DIRECT", "write, buffered,<br>no fsync", "write, buffered,<br>fsync at end", "write,<br>O_DIRECT"]);
    expect(seq.y).toEqual([900, 50, 700, 450, 55]);
    expect(rnd.y).toEqual([45, 48, 500, 200, 40]);
    expect(tracesNamed(figure, "model: this machine's profile").map((t) => t.y[0])).toEqual([prediction.sequentialBytesPerSecond / MiB, prediction.randomBytesPerSecond / MiB]);
    const range = (figure.layout as any).yaxis.range as number[];
    expect(10 ** range[0]).toBeLessThan(40);
    expect(10 ** range[1]).toBeGreaterThan(prediction.sequentialBytesPerSecond / MiB);
    // Groups the run did not measure are left out rather than drawn empty.
    const readsOnly = diskResultFixture(Object.fromEntries(Object.entries(NO_SEEK_RATES).filter(([k]) => k.startsWith("read"))));
    expect((tracesNamed(machineDiskFigure(readsOnly), "(measured)")[0] as any).x).toEqual(["read, buffered<br>(cold cache)", "read,<br>O_DIRECT"]);
  });
});
