"""`nutsec workshop`: a trainer's picture of a group, from share codes that name no one."""
