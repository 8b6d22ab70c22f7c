"""The simulated 一卡通 platform: the attempt (the only holder of the truth), its one clock and
calendar, its stages (stages/), scoring and the report's data."""
