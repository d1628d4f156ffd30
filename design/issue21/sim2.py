from sim import *
import sys
cases=[("2x 10rps",10,0.005,2,{}),("5x 1rps",1,0.005,5,{}),("healthy 10rps",10,0.005,1,{}),("healthy 1rps mc4",1,0.005,1,{'mustcatch':4}),("4x 1rps mc4",1,0.005,4,{'mustcatch':4}),("tol 10rps",10,0.005,1.25,{})]
for name,rps,b,r,kw in cases:
    for h in [180,1440,100000]:
        print(f"{name:18s} hist{h:6d}", summary(rps,b,r,'hist',runs=300,hist_min=h,**kw), flush=True)
