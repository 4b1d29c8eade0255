// Chapter 3's plan: the scratch file the machine reads cold and warm, and the model's sweeps. The only place
// chapter 3's sizes and run counts live.
import type { Plans } from "../chapter";
import { MiB } from "../../units/sizes";

export interface PageCachePlan {
  /** The scratch file, written with random bytes and fsynced. */
  fileBytes: number;
  /** Cold/warm pairs, and in-order/shuffled readahead pairs. */
  runs: number;
  /** Bytes per read(2) of the whole-file reads. */
  chunk: number;
  /** Whole-file reads from one cold start (Kafka's "copied into pagecache exactly once"). */
  rereads: number;
  /** 4 KiB read(2) calls per readahead pass. */
  smallReads: number;
  /** File size of the model's hit-ratio sweeps, in 4 KiB pages. */
  modelFilePages: number;
  /** The sweeps' accesses = passes x file size. */
  modelPasses: number;
}

export const PLANS: Plans<PageCachePlan> = {
  quick: { fileBytes: 32 * MiB, runs: 5, chunk: MiB, rereads: 4, smallReads: 2048, modelFilePages: 1000, modelPasses: 10 },
  default: { fileBytes: 256 * MiB, runs: 9, chunk: MiB, rereads: 6, smallReads: 8192, modelFilePages: 1000, modelPasses: 50 },
  full: { fileBytes: 512 * MiB, runs: 9, chunk: MiB, rereads: 6, smallReads: 8192, modelFilePages: 1000, modelPasses: 50 },
};
