"""Developer tooling, not part of the running application: demo data (``seed_demo``), scale data
(``seed_scale``), the benchmark (``bench``). Installed in development, tests and the benchmark;
production's settings leave it out."""
