-- Job locks become leases with a fencing token (store/JobLocks). A row lock held for a whole job pinned a
-- pooled connection per running job, and on Galera a row lock lives on one node only: after a writer
-- change two replicas could both run a job. Now a replica holds a lock by writing itself into the row for
-- a lease it renews; every writing step of the job re-checks the token in its own transaction.
--   holder       who holds it (replica and a random suffix); NULL when free
--   fence        raised by one at every acquisition: the token a holder's steps check
--   lease_until  when the lease ends unless renewed, on the database's clock (never a replica's)
ALTER TABLE job_lock
    ADD COLUMN holder      VARCHAR(191) NULL,
    ADD COLUMN fence       BIGINT       NOT NULL DEFAULT 0,
    ADD COLUMN lease_until DATETIME(6)  NULL;
