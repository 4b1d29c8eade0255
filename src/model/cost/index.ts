// The cost model: one set of equations, one machine profile (sixteen measured parameters), for every chapter.
export * from "./machine-profile";
export * from "./transfer";
export * from "./send-queue";
export * from "./two-sides";
export * from "./storage";
export * from "./producer";
export * from "./broker";
