package io.tributary.python;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Stops a worker together with every process its scripts started. The worker makes itself the leader of its own
 * process group and session at start, so the processes it starts are in the group whatever became of their parents
 * (a child orphaned by its dead parent is still in it); processes that left the group (their own {@code setsid}) are
 * caught while they are still the worker's descendants. Java can only signal single processes, so the group's
 * members are read from {@code /proc} (Linux; elsewhere only the descendants are stopped).
 */
final class ProcessTree {
    private static final Path PROC = Path.of("/proc");
    /** Members forking while they are being killed need another round; a few rounds always reach an empty group. */
    private static final int MAX_ROUNDS = 20;

    private ProcessTree() {}

    /**
     * SIGKILLs {@code leader}, its descendants and the members of its process group (whose id is the leader's pid).
     * Call it once per leader, soon after the leader died if it did: a group id cannot be reused while the group has
     * members, but once it is empty the number is free for another process.
     */
    static void kill(ProcessHandle leader) {
        // Descendants first, while the tree still links them to the leader: its children lose that link when it dies.
        List<ProcessHandle> targets = new ArrayList<>(leader.descendants().collect(Collectors.toList()));
        targets.add(leader);
        for (int round = 0; round < MAX_ROUNDS && !targets.isEmpty(); round++) {
            targets.forEach(ProcessHandle::destroyForcibly);
            targets = groupMembers(leader.pid());
        }
    }

    /** The live (not zombie) processes of process group {@code pgid}; empty where there is no {@code /proc}. */
    static List<ProcessHandle> groupMembers(long pgid) {
        List<ProcessHandle> members = new ArrayList<>();
        if (!Files.isDirectory(PROC)) {
            return members;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path entry : entries) {
                if (isLiveMember(entry.resolve("stat"), pgid)) {
                    ProcessHandle.of(Long.parseLong(entry.getFileName().toString()))
                            .ifPresent(members::add);
                }
            }
        } catch (IOException e) {
            // /proc unreadable: only the descendants were stopped.
        }
        return members;
    }

    /** {@code /proc/<pid>/stat}: "pid (comm) state ppid pgrp ...", where comm may hold spaces and parentheses. */
    private static boolean isLiveMember(Path stat, long pgid) {
        String text;
        try {
            text = Files.readString(stat, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return false; // exited meanwhile
        }
        int afterComm = text.lastIndexOf(')');
        if (afterComm < 0) {
            return false;
        }
        String[] fields = text.substring(afterComm + 2).split(" ");
        return fields.length > 2 && !fields[0].equals("Z") && fields[2].equals(Long.toString(pgid));
    }
}
