// The floors: what this machine can do at best for the work each scenario is bound by. They run
// after the scenarios, with Tessera stopped, so they measure the machine, not a shared one.
import { floorBcrypt } from './bcrypt.mjs';
import { floorSign, floorVerify } from './crypto.mjs';
import { floorFastify } from './fastify.mjs';
import { floorRotation } from './rotation.mjs';

export const FLOORS = [floorFastify, floorRotation, floorSign, floorVerify, floorBcrypt];

/** The floor (by name) that a row named `floor-bcrypt-12` and the like comes from. */
export function floorOfRow(rowName) {
  return FLOORS.find((floor) => rowName === floor.name || rowName.startsWith(`${floor.name}-`));
}
