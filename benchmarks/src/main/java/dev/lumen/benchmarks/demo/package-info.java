/** The live demo on a busy machine: does it keep its promise when other processes want the CPUs? */
package dev.lumen.benchmarks.demo;
