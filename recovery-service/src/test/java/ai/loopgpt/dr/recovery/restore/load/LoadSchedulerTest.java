package ai.loopgpt.dr.recovery.restore.load;

import static ai.loopgpt.dr.recovery.restore.load.PostDataStatementTest.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.recovery.restore.load.LoadScheduler.Job;
import ai.loopgpt.dr.recovery.restore.load.LoadScheduler.JobQueue;
import ai.loopgpt.dr.recovery.restore.load.LoadScheduler.Plan;
import ai.loopgpt.dr.recovery.restore.load.LoadScheduler.Role;
import ai.loopgpt.dr.recovery.restore.load.ScriptClassifier.PostData;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The order of the post-data jobs and the lock rules that decide which may run at once, without a database. */
class LoadSchedulerTest {

    private static final PostDataStatement USERS_KEY = entry("CONSTRAINT",
            "ALTER TABLE ONLY public.users\n    ADD CONSTRAINT users_pkey PRIMARY KEY (id);");
    private static final PostDataStatement ORDERS_KEY = entry("CONSTRAINT",
            "ALTER TABLE ONLY public.orders\n    ADD CONSTRAINT orders_pkey PRIMARY KEY (id);");
    private static final PostDataStatement PAIRS_KEY = entry("CONSTRAINT",
            "ALTER TABLE ONLY public.pairs\n    ADD CONSTRAINT pairs_pkey PRIMARY KEY (a, b) INCLUDE (c);");
    private static final PostDataStatement USERS_INDEX = entry("INDEX",
            "CREATE INDEX users_email_idx ON public.users USING btree (email);");
    private static final PostDataStatement ORDERS_INDEX = entry("INDEX",
            "CREATE INDEX orders_user_idx ON public.orders USING btree (user_id);");
    private static final PostDataStatement ORDERS_FK = entry("FK CONSTRAINT", "ALTER TABLE ONLY public.orders\n"
            + "    ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES public.users(id);");
    private static final PostDataStatement TRIGGER = entry("TRIGGER",
            "CREATE TRIGGER t BEFORE UPDATE ON public.orders FOR EACH ROW EXECUTE FUNCTION public.touch();");
    private static final Map<String, Long> SIZES = Map.of("public.users", 10L, "public.orders", 1000L, "public.pairs", 1L);

    @Test
    void attachesThenForeignKeysThenKeysThenIndexesEachLargestTableFirst() {
        Plan plan = LoadScheduler.plan(new PostData(List.of(USERS_KEY, USERS_INDEX, ORDERS_FK, TRIGGER, PAIRS_KEY,
                ORDERS_KEY, ORDERS_INDEX), false, "\\unrestrict abc\n"), SIZES);

        assertEquals(List.of(
                "KEY ALTER TABLE ONLY public.orders ADD CONSTRAINT orders_pkey PRIMARY KEY USING INDEX orders_pkey;",
                "KEY ALTER TABLE ONLY public.users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_pkey;",
                "FOREIGN_KEY ALTER TABLE ONLY public.orders",
                "FOREIGN_KEY ALTER TABLE ONLY public.orders VALIDATE CONSTRAINT orders_user_fk;",
                "SHARED_KEY CREATE UNIQUE INDEX orders_pkey ON public.orders USING btree (id);",
                "SHARED_KEY CREATE UNIQUE INDEX users_pkey ON public.users USING btree (id);",
                "KEY ALTER TABLE ONLY public.pairs",
                "INDEX CREATE INDEX orders_user_idx ON public.orders USING btree (user_id);",
                "INDEX CREATE INDEX users_email_idx ON public.users USING btree (email);"),
                plan.jobs().stream().map(LoadSchedulerTest::describe).toList());
        List<Job> jobs = plan.jobs();
        // An attach waits for its index, a validation for its unchecked add.
        assertSame(jobs.get(4), jobs.get(0).after());
        assertSame(jobs.get(5), jobs.get(1).after());
        assertSame(jobs.get(2), jobs.get(3).after());
        assertEquals(Set.of("public.orders", "public.users"), jobs.get(2).tables());
        assertEquals(Set.of("public.orders"), jobs.get(3).tables());
        assertEquals(1000L, jobs.get(2).size());
        // What locks no table it can name runs afterwards in the dump's order, psql's closing line last.
        assertEquals(TRIGGER.text() + "\\unrestrict abc\n", plan.inOrder());
    }

    @Test
    void withPartitionsKeysRunAsWrittenAndForeignKeysInOrder() {
        Plan plan = LoadScheduler.plan(new PostData(List.of(USERS_KEY, ORDERS_FK, USERS_INDEX), true, ""), SIZES);

        assertEquals(List.of(Role.KEY, Role.INDEX), plan.jobs().stream().map(Job::role).toList());
        assertEquals(USERS_KEY.text(), plan.jobs().get(0).text());
        assertEquals(ORDERS_FK.text(), plan.inOrder());
    }

    @Test
    void indexBuildsShareATableThatAKeyAsWrittenTakesAlone() {
        Job index1 = job("i1", Role.INDEX, null, "t");
        Job index2 = job("i2", Role.INDEX, null, "t");
        Job key = job("k", Role.KEY, null, "t");
        Job other = job("o", Role.KEY, null, "u");
        JobQueue queue = new JobQueue(List.of(index1, index2, key, other), () -> { });

        assertSame(index1, queue.poll());
        assertSame(index2, queue.poll());
        // The key waits for both builds; a job on another table goes ahead of it.
        assertSame(other, queue.poll());
        assertNull(queue.poll());
        queue.done(index1);
        assertNull(queue.poll());
        queue.done(index2);
        assertSame(key, queue.poll());
        // And while the key holds the table, no build starts on it.
        Job late = job("i3", Role.INDEX, null, "t");
        JobQueue second = new JobQueue(List.of(key, late), () -> { });
        assertSame(key, second.poll());
        assertNull(second.poll());
        second.done(key);
        assertSame(late, second.poll());
    }

    @Test
    void aForeignKeyWaitsForTheKeysOfBothItsTables() {
        Job fk = job("fk", Role.FOREIGN_KEY, null, "orders", "users");
        Job usersKey = job("users key", Role.SHARED_KEY, null, "users");
        Job ordersKey = job("orders key", Role.SHARED_KEY, null, "orders");
        JobQueue queue = new JobQueue(List.of(fk, usersKey, ordersKey), () -> { });

        assertSame(usersKey, queue.poll());
        assertSame(ordersKey, queue.poll());
        queue.done(usersKey);
        assertNull(queue.poll());
        queue.done(ordersKey);
        assertSame(fk, queue.poll());
    }

    @Test
    void anAttachWaitsForItsIndexAndValidationsOfOneReferencedTableRunAtOnce() {
        Job build = job("build", Role.SHARED_KEY, null, "users");
        Job attach = job("attach", Role.KEY, build, "users");
        Job add1 = job("add1", Role.FOREIGN_KEY, null, "orders", "users");
        Job add2 = job("add2", Role.FOREIGN_KEY, null, "notes", "users");
        Job check1 = job("check1", Role.FOREIGN_KEY, add1, "orders");
        Job check2 = job("check2", Role.FOREIGN_KEY, add2, "notes");
        JobQueue queue = new JobQueue(List.of(attach, add1, add2, check1, check2, build), () -> { });

        assertSame(build, queue.poll());
        assertNull(queue.poll());
        queue.done(build);
        assertSame(attach, queue.poll());
        queue.done(attach);
        // The adds lock both tables, one at a time; each check holds only its own table.
        assertSame(add1, queue.poll());
        assertNull(queue.poll());
        queue.done(add1);
        assertSame(add2, queue.poll());
        assertSame(check1, queue.poll());
        queue.done(add2);
        assertSame(check2, queue.poll());
    }

    @Test
    void keysBuiltIsToldOnceTheLastKeyOrIndexIsDone() throws Exception {
        AtomicInteger told = new AtomicInteger();
        Job key = job("k", Role.SHARED_KEY, null, "t");
        Job index = job("i", Role.INDEX, null, "t");
        Job fk = job("fk", Role.FOREIGN_KEY, null, "t");
        JobQueue queue = new JobQueue(List.of(key, index, fk), told::incrementAndGet);

        queue.done(queue.poll());
        assertEquals(0, told.get());
        queue.done(queue.poll());
        assertEquals(1, told.get());
        assertSame(fk, queue.next(() -> false));
        queue.done(fk);
        assertEquals(1, told.get());
        assertNull(queue.next(() -> false));
    }

    @Test
    void aStoppedLoadTakesNoMoreJobs() throws Exception {
        JobQueue queue = new JobQueue(List.of(job("i", Role.INDEX, null, "t")), () -> { });
        assertNull(queue.next(() -> true));
        assertTrue(queue.poll() != null);
    }

    private static Job job(String text, Role role, Job after, String... tables) {
        return new Job(text, Set.of(tables), role, after, 0);
    }

    /** The role and the job's first statement line, without the header and settings before it. */
    private static String describe(Job job) {
        String statement = job.text().lines().filter(l -> !ScriptClassifier.isBlank(l)).findFirst().orElseThrow();
        return job.role() + " " + statement;
    }
}
