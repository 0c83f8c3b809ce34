#!/usr/bin/env node
import { run } from '../dist/omnistack.js';

process.exitCode = await run(process.argv.slice(2));
