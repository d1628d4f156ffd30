import numpy as np
from sim import llr, logmix
rng=np.random.default_rng(7)
TOL=1.25; worse=[2*2**i for i in range(6)]; ww=[0.5**(i+1) for i in range(6)]
def once(mode,rps,base):
    sched=[(5,10),(10,10),(50,10),(90,90)]
    C=[0,0];S=[0,0]; stepC=[0,0]; stepS=[0,0]; earlier=np.zeros(6); mx=-1e9
    m=0
    for w,dur in sched:
        for _ in range(dur):
            n=rps*60; nc=rng.poisson(n*w/100); ns=rng.poisson(n*(1-w/100))
            xc=rng.binomial(nc,base*TOL); xs=rng.binomial(ns,base)
            stepC[0]+=xc; stepC[1]+=nc; stepS[0]+=xs; stepS[1]+=ns
            if mode=='step': l=[earlier[i]+llr(stepC[0],stepC[1],stepS[0],stepS[1],worse[i],TOL) for i in range(6)]
            else: l=[llr(C[0]+stepC[0],C[1]+stepC[1],S[0]+stepS[0],S[1]+stepS[1],worse[i],TOL) for i in range(6)]
            mx=max(mx,logmix(l,ww))
        if mode=='step': earlier=np.array([earlier[i]+llr(stepC[0],stepC[1],stepS[0],stepS[1],worse[i],TOL) for i in range(6)])
        C=[C[0]+stepC[0],C[1]+stepC[1]]; S=[S[0]+stepS[0],S[1]+stepS[1]]; stepC=[0,0]; stepS=[0,0]
    return mx
for mode in ['step','pool']:
    for rps in [10,100]:
        mx=np.array([once(mode,rps,0.005) for _ in range(2000)])
        print(mode,rps,"P(max>=ln20)=",np.mean(mx>=np.log(20)),"P(>=ln5)=",np.mean(mx>=np.log(5)), flush=True)
